// A thin RAII layer over one libpq connection: statements prepared once per connection and
// cached, text parameters and results, and the mapping of PostgreSQL errors to pn::Status.
// Thread-safety: a PgConnection is used by one thread at a time (the pool hands it out).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace pn::pg {

// libpq connection keywords (host, port, user, password, dbname, sslmode, ...), in order.
using ConnectParams = std::vector<std::pair<std::string, std::string>>;

// One text parameter; nullopt binds SQL NULL.
using Param = std::optional<std::string>;

// An owned PGresult with text accessors. Row and column indexes are 0-based.
class PgResult {
 public:
  explicit PgResult(PGresult* res) : res_(res, &PQclear) {}
  int rows() const { return PQntuples(res_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(res_.get(), row, column) != 0; }
  std::string Text(int row, int column) const;  // NULL reads as ""
  std::optional<std::string> OptionalText(int row, int column) const;
  int64_t Int(int row, int column) const;       // NULL reads as 0
  std::optional<int64_t> OptionalInt(int row, int column) const;
  // Rows changed by an INSERT/UPDATE/DELETE.
  int64_t AffectedRows() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> res_;
};

class PgConnection {
 public:
  // One connection attempt. Unavailable (with libpq's reason) when the server cannot be
  // reached or refuses; FailedPrecondition for a rejected login or a missing database, which
  // retrying will not fix.
  static Result<std::unique_ptr<PgConnection>> Connect(const ConnectParams& params);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one or more statements without parameters (simple protocol; DDL, BEGIN, COMMIT).
  Status Exec(const std::string& sql);
  // Runs one parameterized statement, prepared on first use and cached by its text.
  Result<PgResult> Query(const std::string& sql, const std::vector<Param>& params = {});

  // True once libpq reports the connection lost; the pool then discards it.
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  PGconn* raw() { return conn_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Result<std::string> PreparedName(const std::string& sql);

  PGconn* conn_;
  std::map<std::string, std::string> prepared_;  // sql -> statement name
};

// InvalidArgument naming a keyword libpq does not know (a typo in the URL's query string would
// otherwise look like an unreachable server and be retried).
Status CheckConnectKeywords(const ConnectParams& params);

// Maps a failed command to a Status: lost connection, shutdown, too many connections,
// serialization failure or deadlock -> Unavailable; unique violation -> AlreadyExists;
// anything else -> Internal. `res` may be null (libpq could not even send the command).
Status PgError(PGconn* conn, const PGresult* res, std::string_view what);

// A PostgreSQL array literal ({"a","b",NULL}) of the given texts, for `$1::uuid[]` style
// parameters that insert many rows in one statement.
std::string ArrayLiteral(const std::vector<Param>& values);

}  // namespace pn::pg
