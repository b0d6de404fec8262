// The PostgreSQL backend of the store interfaces (store/store.h), for any number of server
// processes sharing one database: a bounded connection pool that recovers after the server
// comes back, deliveries claimed with FOR UPDATE SKIP LOCKED and leases, and subscription
// changes announced to every process with LISTEN/NOTIFY (SubscriptionStore::WaitForChange).
// Thread-safety: the returned Store may be used from any number of threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/store.h"

namespace pn {

struct PostgresOptions {
  // libpq connection keywords, e.g. {"host","db.example.org"}, {"port","5432"},
  // {"user","pacifica"}, {"password","..."}, {"dbname","pacifica_notifications"},
  // {"sslmode","require"}. Session settings (UTC, ISO dates, UTF-8) are added.
  std::vector<std::pair<std::string, std::string>> connect_params;
  // Connections open at most (the listener's own connection comes on top).
  int max_connections = 8;
  // How long an operation waits for a free connection before answering Unavailable.
  Duration acquire_timeout = std::chrono::seconds(10);
  // At start-up, as the original: up to `connect_attempts` tries, `connect_wait` apart.
  int connect_attempts = 10;
  Duration connect_wait = std::chrono::seconds(20);
  // Waits between start-up attempts; tests record the waits instead of sleeping.
  std::function<void(Duration)> sleep;
  // How often the change listener tries again after losing its connection.
  Duration listener_reconnect_wait = std::chrono::seconds(1);
};

// Connects (retrying as configured) and returns the store. The schema is not touched: use
// schema().IsEmpty()/Version()/Sync(). Unavailable naming the attempts when the server cannot
// be reached; FailedPrecondition at once when it rejects the login.
Result<std::unique_ptr<Store>> OpenPostgresStore(PostgresOptions options);

}  // namespace pn
