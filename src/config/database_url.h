// The database URL of `[database] peewee_url`, parsed as peewee's connect() reads it.
//   sqlite:///rel.db, sqliteext:///rel.db  -> relative path "rel.db"
//   sqlite:////abs/path.db                 -> absolute path "/abs/path.db"
//   sqlite:///:memory:                     -> in-memory database
//   postgres://user:p%40ss@host:5432/db?sslmode=require (also postgresql://)
// Thread-safety: pure values and functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/percent_encoding.h"  // PercentDecode, used with URLs
#include "common/status.h"

namespace pn {

struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string scheme;  // as written: sqlite, sqliteext, postgres, postgresql
  // SQLite: the file path (relative to the working directory unless absolute) or ":memory:".
  std::string path;
  // PostgreSQL: every part percent-decoded; empty / nullopt when absent.
  std::string user;
  std::string password;
  std::string host;
  std::optional<int> port;
  std::string dbname;
  std::vector<std::pair<std::string, std::string>> params;  // query parameters, in order

  // The URL with the password replaced by "****", for logs and messages.
  std::string Redacted() const;
};

// InvalidArgument naming what is wrong (the password is never echoed).
Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);


}  // namespace pn
