#include "store/sqlite/sqlite_database.h"

namespace pn::sqlite {

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             const SqliteOptions& options) {
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase());
  PN_ASSIGN_OR_RETURN(db->writer_,
                      SqliteConnection::Open(path, options.create, options.busy_timeout_ms));
  const bool in_memory = path.empty() || path == ":memory:";
  if (!in_memory) {
    PN_RETURN_IF_ERROR(db->writer_->Exec("PRAGMA journal_mode=WAL")
                           .WithContext("switching '" + path + "' to WAL mode"));
  }
  PN_RETURN_IF_ERROR(db->writer_->Exec(options.synchronous_full ? "PRAGMA synchronous=FULL"
                                                                : "PRAGMA synchronous=NORMAL"));
  db->synchronous_full_ = options.synchronous_full;
  // Touch the schema so a file that is not a database is reported now, not at first use.
  PN_RETURN_IF_ERROR(db->writer_->Exec("SELECT count(*) FROM sqlite_master")
                         .WithContext("reading '" + path + "'"));
  if (!in_memory) {
    for (int i = 0; i < options.read_connections; ++i) {
      PN_ASSIGN_OR_RETURN(auto reader,
                          SqliteConnection::Open(path, false, options.busy_timeout_ms));
      PN_RETURN_IF_ERROR(reader->Exec("PRAGMA query_only=1"));
      db->readers_.push_back(std::move(reader));
    }
    db->readers_total_ = db->readers_.size();
  }
  return db;
}

std::unique_ptr<SqliteConnection> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(read_mu_);
  reader_free_.wait(lock, [this] { return !readers_.empty(); });
  auto conn = std::move(readers_.back());
  readers_.pop_back();
  return conn;
}

void SqliteDatabase::ReleaseReader(std::unique_ptr<SqliteConnection> conn) {
  {
    std::lock_guard lock(read_mu_);
    readers_.push_back(std::move(conn));
  }
  reader_free_.notify_one();
}

uint64_t SqliteDatabase::ChangeGeneration() {
  std::lock_guard lock(change_mu_);
  return change_generation_;
}

void SqliteDatabase::NotifySubscriptionChange() {
  {
    std::lock_guard lock(change_mu_);
    ++change_generation_;
  }
  changed_.notify_all();
}

bool SqliteDatabase::WaitForGeneration(uint64_t seen,
                                       std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(change_mu_);
  return changed_.wait_until(lock, deadline, [&] { return change_generation_ != seen; });
}

}  // namespace pn::sqlite
