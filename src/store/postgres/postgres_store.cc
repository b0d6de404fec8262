#include "store/postgres/postgres_store.h"

#include <fmt/format.h>

#include <thread>

#include "store/postgres/pg_listener.h"
#include "store/postgres/pg_pool.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_stores.h"

namespace pn {
namespace {

using pg::PgConnection;
using pg::PgPool;

class PgSchemaManager final : public SchemaManager {
 public:
  explicit PgSchemaManager(PgPool& pool) : pool_(pool) {}
  Result<SchemaVersion> Version() override {
    return pool_.Run([](PgConnection& c) { return pg::ReadSchemaVersion(c); });
  }
  Result<bool> IsEmpty() override {
    return pool_.Run([](PgConnection& c) { return pg::SchemaIsEmpty(c); });
  }
  Status Sync() override {
    return pool_.Transaction([](PgConnection& c) { return pg::SyncSchema(c); });
  }

 private:
  PgPool& pool_;
};

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const PostgresOptions& options)
      : pool_(options.connect_params, options.max_connections, options.acquire_timeout),
        listener_(options.connect_params, options.listener_reconnect_wait),
        subscriptions_(pool_, listener_),
        events_(pool_),
        deliveries_(pool_),
        schema_(pool_) {}

  SubscriptionStore& subscriptions() override { return subscriptions_; }
  EventStore& events() override { return events_; }
  DeliveryStore& deliveries() override { return deliveries_; }
  SchemaManager& schema() override { return schema_; }
  Status Ping() override { return pool_.Check(); }

 private:
  PgPool pool_;
  pg::ChangeListener listener_;
  pg::PgSubscriptionStore subscriptions_;
  pg::PgEventStore events_;
  pg::PgDeliveryStore deliveries_;
  PgSchemaManager schema_;
};

std::string Seconds(Duration d) {
  return fmt::format("{:g} s", std::chrono::duration<double>(d).count());
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(PostgresOptions options) {
  PN_RETURN_IF_ERROR(pg::CheckConnectKeywords(options.connect_params));
  if (!options.sleep) options.sleep = [](Duration d) { std::this_thread::sleep_for(d); };
  // Zero or fewer attempts still tries once: there is no other way to start.
  const int attempts = options.connect_attempts < 1 ? 1 : options.connect_attempts;
  auto store = std::make_unique<PostgresStore>(options);
  Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    last = store->Ping();
    if (last.ok()) return std::unique_ptr<Store>(std::move(store));
    // A rejected login or a broken configuration will not fix itself by waiting.
    if (last.code() != StatusCode::kUnavailable) return last;
    if (attempt < attempts) options.sleep(options.connect_wait);
  }
  return UnavailableError("could not connect to PostgreSQL after " + std::to_string(attempts) +
                          " attempt(s), " + Seconds(options.connect_wait) +
                          " apart (connect_attempts / connect_wait in [database]): " +
                          last.message());
}

}  // namespace pn
