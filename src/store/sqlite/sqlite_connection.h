// A thin RAII layer over one sqlite3 connection: cached prepared statements, typed binding and
// column access, and the mapping of SQLite result codes to pn::Status.
// Thread-safety: a SqliteConnection is used by one thread at a time (the owner serializes).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace pn::sqlite {

// Maps a failed SQLite call to a Status: BUSY/LOCKED/IOERR -> Unavailable, CONSTRAINT
// (unique/primary key) -> AlreadyExists, CANTOPEN/NOTADB/PERM/READONLY -> FailedPrecondition,
// anything else -> Internal. `what` says what was being done.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement borrowed from the connection's cache; reset and unbound on destruction.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binding, 1-based like SQLite. Bind(nullopt) binds NULL.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, const std::optional<std::string>& text);
  Statement& BindNull(int index);

  // Steps once: true with a row, false when done; errors as Status.
  Result<bool> Step();
  // Steps to completion (ignoring rows) and resets, so the statement can be bound again.
  Status Run();

  bool IsNull(int column) const;
  std::string Text(int column) const;  // NULL reads as ""
  std::optional<std::string> OptionalText(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection {
 public:
  // Opens (creating when `create`) the database at `path` (":memory:" allowed) and applies the
  // connection pragmas.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool create,
                                                        int busy_timeout_ms);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // A cached prepared statement for `sql` (which must outlive the connection: use literals).
  Result<Statement> Prepare(const char* sql);
  // Runs one or more statements without results (DDL, pragmas, BEGIN/COMMIT).
  Status Exec(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  sqlite3* raw() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> cache_;
};

// A write transaction (BEGIN IMMEDIATE, so the write lock is taken up front and a busy database
// shows up at BEGIN, not half-way). Rolls back unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(SqliteConnection& conn);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_), open_(other.open_) {
    other.open_ = false;
  }
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(SqliteConnection& conn) : conn_(&conn), open_(true) {}
  SqliteConnection* conn_;
  bool open_;
};

}  // namespace pn::sqlite
