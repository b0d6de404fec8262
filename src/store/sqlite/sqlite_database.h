// One SQLite database file shared by the store objects: a single writer connection behind a
// mutex (SQLite admits one writer at a time anyway, and BEGIN IMMEDIATE keeps other processes
// out for the transaction) plus a small pool of read connections, which WAL lets run
// concurrently with the writer. An in-memory database has no pool: reads use the writer.
// Durability: WAL with synchronous=FULL by default, so a commit survives power loss, as
// EventStore::Append promises; callers batch events (group commit) to amortize the fsync.
// synchronous=NORMAL (option) survives process crashes but may lose the last commits on power
// loss.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_store.h"

namespace pn::sqlite {

class SqliteDatabase {
 public:
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                      const SqliteOptions& options);

  // Runs fn(conn) inside BEGIN IMMEDIATE ... COMMIT on the writer; rolls back when fn fails.
  // fn returns Status or Result<T>.
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    std::lock_guard lock(write_mu_);
    return WriteLocked(std::forward<F>(fn));
  }

  // Write(), but committed with synchronous=NORMAL even when the database is opened FULL: for
  // writes whose loss in a power cut is harmless (delivery leases and attempt records, see
  // sqlite_delivery_store.cc); a process crash still loses nothing. WAL keeps commits in order,
  // so the next FULL commit (an Append) makes these durable as well.
  template <typename F>
  auto WriteRelaxed(F&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    std::lock_guard lock(write_mu_);
    if (!synchronous_full_) return WriteLocked(std::forward<F>(fn));
    Status relaxed = writer_->Exec("PRAGMA synchronous=NORMAL");
    if (!relaxed.ok()) {
      relaxed_ = true;  // state unknown: the next write restores FULL first
      return relaxed;
    }
    relaxed_ = false;  // WriteLocked must not restore FULL before this write
    auto result = WriteLocked(std::forward<F>(fn));
    // When restoring fails, the next write retries it before writing (see WriteLocked).
    relaxed_ = !writer_->Exec("PRAGMA synchronous=FULL").ok();
    return result;
  }

  // Runs fn(conn) on the writer without opening a transaction (schema management).
  template <typename F>
  auto WithWriter(F&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    std::lock_guard lock(write_mu_);
    return fn(*writer_);
  }

  // Runs fn(conn) on a read connection (autocommit: each statement sees the latest commit).
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    if (readers_total_ == 0) return WithWriter(std::forward<F>(fn));
    std::unique_ptr<SqliteConnection> conn = AcquireReader();
    auto result = fn(*conn);
    ReleaseReader(std::move(conn));
    return result;
  }

  // In-process change signalling for SubscriptionStore::WaitForChange: writers call
  // NotifySubscriptionChange() after committing a subscription change; waiters take the
  // generation before checking the database, then wait for it to move (no lost wake-ups).
  uint64_t ChangeGeneration();
  void NotifySubscriptionChange();
  // False when the deadline passed with the generation still at `seen`.
  bool WaitForGeneration(uint64_t seen, std::chrono::steady_clock::time_point deadline);

 private:
  SqliteDatabase() = default;

  // write_mu_ held.
  template <typename F>
  auto WriteLocked(F&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    if (relaxed_) {
      Status restored = writer_->Exec("PRAGMA synchronous=FULL");
      if (!restored.ok()) return restored;
      relaxed_ = false;
    }
    auto tx = Transaction::Begin(*writer_);
    if (!tx.ok()) return tx.status();
    auto result = fn(*writer_);
    if (!result.ok()) return result;
    Status committed = tx->Commit();
    if (!committed.ok()) return committed;
    return result;
  }
  std::unique_ptr<SqliteConnection> AcquireReader();
  void ReleaseReader(std::unique_ptr<SqliteConnection> conn);

  std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;
  bool synchronous_full_ = true;  // as opened
  bool relaxed_ = false;          // the writer is at NORMAL though opened FULL (write_mu_)
  std::mutex read_mu_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  size_t readers_total_ = 0;
  std::mutex change_mu_;
  std::condition_variable changed_;
  uint64_t change_generation_ = 0;
};

}  // namespace pn::sqlite
