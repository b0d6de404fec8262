#include "store/sqlite/sqlite_connection.h"

namespace pn::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " +
                        (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return UnavailableError(message);
    case SQLITE_CONSTRAINT:
      return AlreadyExistsError(message);
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
      return FailedPreconditionError(message);
    default:
      return InternalError(message);
  }
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, std::string("running '") + sqlite3_sql(stmt_) + "'");
}

Status Statement::Run() {
  while (true) {
    PN_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) break;
  }
  // Ready to be bound and run again (loops reuse one cached statement).
  sqlite3_reset(stmt_);
  return OkStatus();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                  bool create,
                                                                  int busy_timeout_ms) {
  sqlite3* db = nullptr;
  // NOMUTEX: every connection is used by one thread at a time, serialized by its owner.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, "opening SQLite database '" + path + "'");
    sqlite3_close_v2(db);
    return s;
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Statement> SqliteConnection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(db_, rc, std::string("preparing '") + sql + "'");
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(db_, it->second);
}

Status SqliteConnection::Exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string what = "running '" + text.substr(0, 200) + "'";
    Status s = SqliteError(db_, rc, what);
    sqlite3_free(error);
    return s;
  }
  return OkStatus();
}

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

Result<Transaction> Transaction::Begin(SqliteConnection& conn) {
  PN_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  return Transaction(conn);
}

Transaction::~Transaction() {
  if (open_) (void)conn_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = conn_->Exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace pn::sqlite
