// The embedded SQLite backend of the store interfaces (store/store.h).
// Thread-safety: the returned Store may be used from any number of threads.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "store/store.h"

namespace pn {

struct SqliteOptions {
  // Read connections in the pool (WAL lets them read while the writer writes).
  int read_connections = 4;
  // How long a statement waits for a lock held by another connection or process.
  int busy_timeout_ms = 5000;
  // synchronous=FULL (survives power loss) or NORMAL (survives process crashes only).
  bool synchronous_full = true;
  // Create the file when missing.
  bool create = true;
};

// Opens (creating when allowed) the database at `path`, ":memory:" for a private in-memory one.
// The schema is not touched: use schema().IsEmpty()/Version()/Sync().
// FailedPrecondition when the file cannot be opened or is not a database.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace pn
