// The running server: wires the subscription API, /health, /receive (ingest group commit), the
// compiled subscription index and the delivery worker onto one HTTP server. It receives the
// store and the outbound HTTP client already opened, so it can be started over any backend.
// Thread-safety: Start/Stop from one thread; Stop is idempotent.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "config/config.h"
#include "outbound/http_client.h"
#include "store/store.h"

namespace pn::app {

struct ServerAppOptions {
  int http_threads = 0;  // 0: one per core (at least 1)
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds read_timeout{30'000};
};

class ServerApp {
 public:
  // Builds the index from the store, starts the committer, the worker and the HTTP server
  // (bound to config.server.address/port; port 0 picks a free one).
  static Result<std::unique_ptr<ServerApp>> Start(const Config& config, Store& store,
                                                  outbound::HttpClient& http, const Clock& clock,
                                                  RandomSource& random,
                                                  ServerAppOptions options = {});
  ~ServerApp();

  uint16_t port() const;
  std::string address() const;

  // Stops accepting, finishes in-flight requests (each /receive answered after its commit),
  // then stops the committer and the worker. True when everything finished before `deadline`.
  bool Stop(std::chrono::milliseconds deadline = std::chrono::seconds(10));

  struct Parts;

 private:
  explicit ServerApp(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace pn::app
