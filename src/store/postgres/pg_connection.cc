#include "store/postgres/pg_connection.h"

#include <cstdlib>

namespace pn::pg {
namespace {

std::string Trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Session settings our text conversions rely on: ISO timestamps, UTC, UTF-8.
// NOTICEs (e.g. "already exists, skipping" from migrations) would go to stderr otherwise.
constexpr const char* kSessionOptions =
    "-c DateStyle=ISO,YMD -c TimeZone=UTC -c IntervalStyle=postgres -c client_min_messages=warning";

bool IsUnavailableState(std::string_view state) {
  return state.starts_with("08") ||  // connection exception
         state == "57P01" || state == "57P02" || state == "57P03" ||  // shutdown, starting up
         state == "53300" ||  // too many connections
         state == "40001" || state == "40P01";  // serialization failure, deadlock: retry later
}

}  // namespace

std::string PgResult::Text(int row, int column) const {
  if (IsNull(row, column)) return std::string();
  return std::string(PQgetvalue(res_.get(), row, column),
                     static_cast<size_t>(PQgetlength(res_.get(), row, column)));
}

std::optional<std::string> PgResult::OptionalText(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Text(row, column);
}

int64_t PgResult::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  return std::strtoll(PQgetvalue(res_.get(), row, column), nullptr, 10);
}

std::optional<int64_t> PgResult::OptionalInt(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int(row, column);
}

int64_t PgResult::AffectedRows() const {
  const char* n = PQcmdTuples(res_.get());
  return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

Status PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  std::string message = Trimmed(res ? PQresultErrorMessage(res) : nullptr);
  if (message.empty()) message = Trimmed(PQerrorMessage(conn));
  const char* state_text = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string state = state_text ? state_text : "";
  std::string text = std::string(what) + ": " + message;
  if (PQstatus(conn) != CONNECTION_OK || IsUnavailableState(state)) {
    return UnavailableError(text + " (the database cannot be reached; retry later)");
  }
  if (state == "23505") {
    const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    return AlreadyExistsError(detail ? text + " (" + detail + ")" : text);
  }
  if (state.empty()) return UnavailableError(text);  // no server answer at all
  return InternalError(text + " (SQLSTATE " + state + ")");
}

Status CheckConnectKeywords(const ConnectParams& params) {
  PQconninfoOption* known = PQconndefaults();
  if (known == nullptr) return InternalError("libpq could not list its connection options");
  std::vector<std::string> unknown;
  for (const auto& [key, value] : params) {
    bool found = false;
    for (const PQconninfoOption* o = known; o->keyword != nullptr; ++o) {
      found = found || key == o->keyword;
    }
    if (!found) unknown.push_back(key);
  }
  PQconninfoFree(known);
  if (unknown.empty()) return OkStatus();
  std::string names;
  for (const auto& u : unknown) names += (names.empty() ? "'" : ", '") + u + "'";
  return InvalidArgumentError("unknown PostgreSQL connection parameter(s) " + names +
                              " in peewee_url; use libpq keywords such as sslmode, "
                              "connect_timeout, application_name");
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const ConnectParams& params) {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  std::string options = kSessionOptions;
  bool has_timeout = false;
  for (const auto& [key, value] : params) {
    if (key == "options") {
      options += " " + value;
      continue;
    }
    if (key == "connect_timeout") has_timeout = true;
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keys.push_back("options");
  values.push_back(options.c_str());
  keys.push_back("client_encoding");
  values.push_back("UTF8");
  if (!has_timeout) {
    keys.push_back("connect_timeout");
    values.push_back("10");
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/0);
  if (conn == nullptr) return InternalError("libpq could not allocate a connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = Trimmed(PQerrorMessage(conn));
    const bool login_problem = PQconnectionNeedsPassword(conn) ||
                               reason.find("authentication failed") != std::string::npos;
    PQfinish(conn);
    std::string text = "connecting to PostgreSQL: " + reason;
    if (login_problem) {
      return FailedPreconditionError(text + " (check the user and password of peewee_url)");
    }
    return UnavailableError(text);
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Status PgConnection::Exec(const std::string& sql) {
  // PQexec returns the last statement's result; a failing statement stops the rest, and its
  // error is what is returned.
  PGresult* res = PQexec(conn_, sql.c_str());
  const ExecStatusType st = PQresultStatus(res);
  if (res != nullptr && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
    PQclear(res);
    return OkStatus();
  }
  Status error = PgError(conn_, res, "running " + sql.substr(0, 60));
  PQclear(res);
  return error;
}

Result<std::string> PgConnection::PreparedName(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "pn" + std::to_string(prepared_.size());
  PGresult* res = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  if (res == nullptr || PQresultStatus(res) != PGRES_COMMAND_OK) {
    Status error = PgError(conn_, res, "preparing " + sql.substr(0, 60));
    PQclear(res);
    return error;
  }
  PQclear(res);
  prepared_.emplace(sql, name);
  return name;
}

Result<PgResult> PgConnection::Query(const std::string& sql, const std::vector<Param>& params) {
  PN_ASSIGN_OR_RETURN(std::string name, PreparedName(sql));
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, /*resultFormat=*/0);
  const ExecStatusType st = PQresultStatus(res);
  if (res != nullptr && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) return PgResult(res);
  Status error = PgError(conn_, res, "running " + sql.substr(0, 60));
  PQclear(res);
  return error;
}

std::string ArrayLiteral(const std::vector<Param>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    if (!values[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace pn::pg
