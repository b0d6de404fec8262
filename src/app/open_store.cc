#include "app/open_store.h"

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "store/postgres/postgres_store.h"

namespace pn {
namespace {

// peewee hands the URL's parts to psycopg2, which hands them to libpq: the query parameters
// (sslmode=require, connect_timeout=5, ...) are libpq keywords too.
std::vector<std::pair<std::string, std::string>> PostgresConnectParams(const DatabaseUrl& url) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!url.host.empty()) params.emplace_back("host", url.host);
  if (url.port) params.emplace_back("port", std::to_string(*url.port));
  if (!url.user.empty()) params.emplace_back("user", url.user);
  if (!url.password.empty()) params.emplace_back("password", url.password);
  if (!url.dbname.empty()) params.emplace_back("dbname", url.dbname);
  for (const auto& param : url.params) params.push_back(param);
  return params;
}

std::string VersionName(SchemaVersion v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

}  // namespace

OpenStoreOptions OpenStoreOptionsFrom(const Config& config) {
  OpenStoreOptions options;
  options.connect_attempts = config.connect_attempts;
  options.connect_wait = config.connect_wait;
  return options;
}

Result<std::unique_ptr<Store>> ConnectWithRetry(
    int attempts, Duration wait, const std::function<void(Duration)>& sleep,
    const std::function<Result<std::unique_ptr<Store>>()>& open) {
  attempts = std::max(attempts, 1);
  Status last;
  for (int i = 1; i <= attempts; ++i) {
    auto store = open();
    if (store.ok()) return store;
    last = store.status();
    if (last.code() != StatusCode::kUnavailable) return last;
    if (i < attempts) {
      if (sleep) sleep(wait);
      else std::this_thread::sleep_for(wait);
    }
  }
  return UnavailableError("could not connect to the database after " + std::to_string(attempts) +
                          (attempts == 1 ? " attempt: " : " attempts: ") + last.message());
}

Result<std::unique_ptr<Store>> OpenStore(const DatabaseUrl& url, const OpenStoreOptions& options) {
  if (url.kind == DatabaseUrl::Kind::kPostgres) {
    PostgresOptions postgres;
    postgres.connect_params = PostgresConnectParams(url);
    postgres.connect_attempts = 1;  // retried here, the same way as SQLite
    return ConnectWithRetry(options.connect_attempts, options.connect_wait, options.sleep,
                            [&]() -> Result<std::unique_ptr<Store>> {
                              auto store = OpenPostgresStore(postgres);
                              if (!store.ok()) return store.status().WithContext(url.Redacted());
                              return store;
                            });
  }
  return ConnectWithRetry(options.connect_attempts, options.connect_wait, options.sleep,
                          [&]() -> Result<std::unique_ptr<Store>> {
                            PN_ASSIGN_OR_RETURN(auto store,
                                                OpenSqliteStore(url.path, options.sqlite));
                            PN_RETURN_IF_ERROR(store->Ping());
                            return store;
                          });
}

Status PrepareSchemaForServing(Store& store) {
  PN_ASSIGN_OR_RETURN(bool empty, store.schema().IsEmpty());
  if (empty) return store.schema().Sync().WithContext("creating the database schema");
  PN_ASSIGN_OR_RETURN(SchemaVersion version, store.schema().Version());
  if (version == kCurrentSchema) return OkStatus();
  const bool newer = version.major > kCurrentSchema.major ||
                     (version.major == kCurrentSchema.major && version.minor > kCurrentSchema.minor);
  if (newer) {
    return FailedPreconditionError("the database schema is version " + VersionName(version) +
                                   ", newer than this program understands (" +
                                   VersionName(kCurrentSchema) + "); use a newer release");
  }
  return FailedPreconditionError("the database schema is version " + VersionName(version) +
                                 ", this program needs " + VersionName(kCurrentSchema) +
                                 "; run `pacifica-notifications-cmd dbsync` to upgrade it");
}

}  // namespace pn
