// Helpers of the multi-process tests (issue 5): several built `pacifica-notifications` processes
// on one database of a throwaway PostgreSQL cluster, a way to read that database as another
// program would, and the CloudEvents the tests send.
// Thread-safety: SqlProbe may be used from any thread (a connection per call); Fleet from the
// test's main thread (it owns the cluster, see PgCluster).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api_server_process.h"
#include "common/status.h"
#include "tests/support/pg_cluster.h"

namespace pn::e2e {

// One-shot SQL as the superuser. A fresh connection per call, so it keeps working after the
// cluster was stopped and restarted.
class SqlProbe {
 public:
  explicit SqlProbe(std::vector<std::pair<std::string, std::string>> connect_params)
      : params_(std::move(connect_params)) {}
  // Rows of text values (NULL read as ""). Unavailable when the server cannot be reached,
  // Internal with the server's message when the query fails.
  Result<std::vector<std::vector<std::string>>> Query(const std::string& sql) const;
  // The single integer a `SELECT count(*) ...` answers.
  Result<int64_t> Count(const std::string& sql) const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// Server settings that keep the tests short and exact: no policy service, a target timeout far
// above the recording target's delay (a timeout would be a second attempt), and leases that
// expire within seconds of a process being killed.
struct FleetServerSettings {
  std::string role = "all";
  double policy_timeout_s = 0.5;
  double target_timeout_s = 5;
  double lease_margin_s = 0.5;
  int max_in_flight_per_target = 32;  // with the worker's 32 queued: leases of two rounds
  std::string retry_schedule = "0.5, 0.5, 0.5, 0.5, 0.5, 0.5";
};

class Fleet {
 public:
  // A new cluster with one empty database. FailedPrecondition when PostgreSQL's server
  // programs are missing (scripts/deps.sh installs them).
  static Result<std::unique_ptr<Fleet>> Create();

  testing::PgCluster& cluster() { return *cluster_; }
  const std::string& database() const { return database_; }
  std::string url() const { return cluster_->Url(database_); }
  const SqlProbe& sql() const { return sql_; }

  // Starts one server process on the database; nullptr (with `*output` set to what it printed)
  // when it does not come up.
  std::unique_ptr<ServerProcess> StartServer(const FleetServerSettings& settings,
                                             std::string* output);
  // Starts several at once (the first start of an empty database is then concurrent, as when
  // a deployment starts); nullptr entries for those that did not come up.
  std::vector<std::unique_ptr<ServerProcess>> StartServers(
      const std::vector<FleetServerSettings>& settings, std::string* output);

 private:
  Fleet(std::unique_ptr<testing::PgCluster> cluster, std::string database);
  std::unique_ptr<testing::PgCluster> cluster_;
  std::string database_;
  SqlProbe sql_;
};

// The lease owner prefix a server process logged when its delivery workers started (its
// workers' leases are "<prefix>/<n>"); "" if it started none.
std::string LeaseOwnerOf(const ServerProcess& server);

// A CloudEvents 1.0 structured event: type org.example.multiprocess, source /mp/<group>,
// id `id`.
std::string MultiprocessEvent(const std::string& id, const std::string& group);

void WaitABit();  // one polling interval (20 ms)

// Polls `done` every few milliseconds until it returns true (true) or `deadline` passes (false).
template <typename Done>
bool WaitFor(Done done, std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    WaitABit();
  }
}

}  // namespace pn::e2e
