// Opening the configured database: picks the backend from the URL, retries connecting as the
// original did (connect_attempts x connect_wait), and applies the server's schema rule.
// Thread-safety: functions; the returned Store is thread-safe.
#pragma once

#include <functional>
#include <memory>

#include "common/clock.h"
#include "common/status.h"
#include "config/config.h"
#include "config/database_url.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace pn {

struct OpenStoreOptions {
  // Tries at most this many times (at least once) while the database is Unavailable, waiting
  // `connect_wait` between tries; other errors are final at once.
  int connect_attempts = 1;
  Duration connect_wait{};
  // How to wait between attempts; default std::this_thread::sleep_for. Tests inject a recorder.
  std::function<void(Duration)> sleep;
  SqliteOptions sqlite;
};

// connect_attempts / connect_wait taken from the [database] section.
OpenStoreOptions OpenStoreOptionsFrom(const Config& config);

// Opens the backend named by `url` (SQLite file, or PostgreSQL: host, port, user, password,
// dbname and query parameters as libpq keywords) and checks it answers (Ping). Unavailable
// after the last failed attempt, naming the count.
Result<std::unique_ptr<Store>> OpenStore(const DatabaseUrl& url,
                                         const OpenStoreOptions& options = {});

// The retry loop on its own: calls `open` until it succeeds, fails with anything but
// Unavailable, or `attempts` tries were made.
Result<std::unique_ptr<Store>> ConnectWithRetry(
    int attempts, Duration wait, const std::function<void(Duration)>& sleep,
    const std::function<Result<std::unique_ptr<Store>>()>& open);

// The server's start-up rule (DESIGN §3): creates the schema on an empty database, accepts the
// current version, and refuses any other with FailedPrecondition naming `dbsync`.
Status PrepareSchemaForServing(Store& store);

}  // namespace pn
