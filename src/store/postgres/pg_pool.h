// A bounded pool of PostgreSQL connections, created on demand, shared by the store objects.
// Lost connections are dropped (with every idle one, which died with the same server) and
// replaced on next use, so the store recovers by itself once the database is back. An
// operation that found a pooled connection dead before anything reached the server is run
// once more on a fresh connection; a transaction whose COMMIT was sent is never repeated
// (its outcome is unknown, and the caller hears Unavailable).
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/postgres/pg_connection.h"

namespace pn::pg {

class PgPool {
 public:
  PgPool(ConnectParams params, int max_connections, Duration acquire_timeout);
  ~PgPool();

  // Runs fn(conn) in autocommit mode. fn returns Status or Result<T>.
  template <typename F>
  auto Run(F&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
    for (int attempt = 0;; ++attempt) {
      Result<Lease> lease = Acquire();
      if (!lease.ok()) return lease.status();
      auto result = fn(*lease->conn);
      const bool retry = lease->conn->broken() && lease->reused && attempt == 0;
      Release(std::move(*lease));
      if (retry) continue;
      return result;
    }
  }

  // Runs fn(conn) between BEGIN and COMMIT; rolls back when fn fails.
  template <typename F>
  auto Transaction(F&& fn) -> decltype(fn(std::declval<PgConnection&>())) {
    using R = decltype(fn(std::declval<PgConnection&>()));
    for (int attempt = 0;; ++attempt) {
      Result<Lease> lease = Acquire();
      if (!lease.ok()) return lease.status();
      PgConnection& conn = *lease->conn;
      bool commit_sent = false;
      R result = [&]() -> R {
        Status begun = conn.Exec("BEGIN");
        if (!begun.ok()) return begun;
        R inner = fn(conn);
        if (!inner.ok()) {
          (void)conn.Exec("ROLLBACK");
          return inner;
        }
        commit_sent = true;
        Status committed = conn.Exec("COMMIT");
        if (!committed.ok()) {
          if (conn.broken()) {
            return UnavailableError(committed.message() +
                                    "; the connection was lost while committing, so whether "
                                    "the change was stored is unknown");
          }
          return committed;
        }
        return inner;
      }();
      const bool retry = conn.broken() && lease->reused && !commit_sent && attempt == 0;
      Release(std::move(*lease));
      if (retry) continue;
      return result;
    }
  }

  // Opens one connection now (or checks an idle one), for start-up and health checks.
  Status Check();

  int max_connections() const { return max_connections_; }

 private:
  struct Lease {
    std::unique_ptr<PgConnection> conn;
    bool reused = false;  // taken from the idle list rather than just connected
  };
  Result<Lease> Acquire();
  void Release(Lease lease);

  const ConnectParams params_;
  const int max_connections_;
  const Duration acquire_timeout_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_
  int open_ = 0;                                     // idle + lent out; guarded by mu_
};

}  // namespace pn::pg
