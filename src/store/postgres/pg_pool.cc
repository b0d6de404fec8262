#include "store/postgres/pg_pool.h"

#include <chrono>
#include <string>

namespace pn::pg {

PgPool::PgPool(ConnectParams params, int max_connections, Duration acquire_timeout)
    : params_(std::move(params)),
      max_connections_(max_connections < 1 ? 1 : max_connections),
      acquire_timeout_(acquire_timeout) {}

PgPool::~PgPool() = default;

Result<PgPool::Lease> PgPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
    const bool got = available_.wait_until(lock, deadline, [&] {
      return !idle_.empty() || open_ < max_connections_;
    });
    if (!got) {
      return UnavailableError("all " + std::to_string(max_connections_) +
                              " database connections stayed busy; retry later");
    }
    if (!idle_.empty()) {
      Lease lease{std::move(idle_.back()), true};
      idle_.pop_back();
      return lease;
    }
    ++open_;
  }
  // Connecting happens outside the lock: it may take as long as connect_timeout.
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(params_);
  if (!conn.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    available_.notify_one();
    return conn.status();
  }
  return Lease{std::move(*conn), false};
}

void PgPool::Release(Lease lease) {
  std::vector<std::unique_ptr<PgConnection>> dropped;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    const bool usable = !lease.conn->broken() &&
                        PQtransactionStatus(lease.conn->raw()) == PQTRANS_IDLE;
    if (usable) {
      idle_.push_back(std::move(lease.conn));
    } else {
      // The server went away (or this session is unusable): idle connections most likely
      // died with it, so they are replaced too rather than failing one request each.
      dropped = std::move(idle_);
      idle_.clear();
      dropped.push_back(std::move(lease.conn));
      open_ -= static_cast<int>(dropped.size());
    }
  }
  available_.notify_all();
}

Status PgPool::Check() {
  return Run([](PgConnection& conn) { return conn.Exec("SELECT 1"); });
}

}  // namespace pn::pg
