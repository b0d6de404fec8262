// The running server: wires the subscription API, /health, /receive (ingest group commit), the
// compiled subscription index (kept in step with changes made by other processes) and the
// delivery worker onto one HTTP server, as the role asks. It receives the store and the
// outbound HTTP client already opened, so it can be started over any backend.
// Thread-safety: Start/Stop from one thread; Stop is idempotent.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "config/config.h"
#include "outbound/http_client.h"
#include "store/store.h"

namespace pn::app {

// What one process does (`--role`): several processes may share one PostgreSQL database, each
// with any role.
enum class ServerRole {
  kAll,     // the whole API and the delivery worker
  kApi,     // the whole API; stores events and deliveries but never delivers them
  kWorker,  // the delivery worker; serves only /health and /metrics
};
// "all", "api" or "worker"; InvalidArgument naming the accepted values otherwise.
Result<ServerRole> ParseServerRole(std::string_view name);
std::string_view ServerRoleName(ServerRole role);

struct ServerAppOptions {
  int http_threads = 0;  // 0: one per core (at least 1)
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds read_timeout{30'000};
  ServerRole role = ServerRole::kAll;
  // How often an idle worker asks the store for due work. It is how a worker hears of
  // deliveries stored by other processes (its own process notifies it directly), so it bounds
  // their delivery latency when processes share a database.
  Duration worker_idle_recheck = std::chrono::seconds(1);
  // Lease slack on top of the policy and target timeouts (store latency, clock differences
  // between machines); unset = the worker's default (delivery::WorkerOptions::lease_margin).
  std::optional<Duration> lease_margin;
  // Subscription changes made by other processes reach this process's index within this
  // (at once where the store notifies changes, as PostgreSQL does).
  Duration index_refresh = std::chrono::seconds(1);
};

class ServerApp {
 public:
  // Builds the index from the store, starts its refresher, the committer and the worker (as
  // options.role asks) and the HTTP server (bound to config.server.address/port; port 0 picks a
  // free one).
  static Result<std::unique_ptr<ServerApp>> Start(const Config& config, Store& store,
                                                  outbound::HttpClient& http, const Clock& clock,
                                                  RandomSource& random,
                                                  ServerAppOptions options = {});
  ~ServerApp();

  uint16_t port() const;
  std::string address() const;

  // Stops accepting, finishes in-flight requests (each /receive answered after its commit),
  // then stops the committer, the worker and the index refresher. True when everything
  // finished before `deadline`.
  bool Stop(std::chrono::milliseconds deadline = std::chrono::seconds(10));

  struct Parts;

 private:
  explicit ServerApp(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace pn::app
