#include "config/database_url.h"

#include <charconv>

namespace pn {
namespace {

// A percent-encoded password must not leak into messages about the URL.
std::string MaskPassword(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const size_t auth_start = scheme_end + 3;
  const size_t at = url.find('@', auth_start);
  const size_t slash = url.find('/', auth_start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  const size_t colon = url.find(':', auth_start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "****" + std::string(url.substr(at));
}

Status ParsePostgres(std::string_view rest, DatabaseUrl* out, const std::string& shown) {
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError("database URL '" + shown + "': " + why);
  };
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest, path;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string_view user = userinfo, password;
    const bool has_password = userinfo.find(':') != std::string_view::npos;
    if (has_password) {
      user = userinfo.substr(0, userinfo.find(':'));
      password = userinfo.substr(userinfo.find(':') + 1);
    }
    auto u = PercentDecode(user);
    if (!u.ok()) return bad("user name: " + u.status().message());
    out->user = *u;
    auto p = PercentDecode(password);
    if (!p.ok()) return bad("password: " + p.status().message());
    out->password = *p;
  }
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {  // [::1]:5432
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return bad("unterminated '[' in the host");
    std::string_view after = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the host");
      authority = after;
    } else {
      authority = {};
    }
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    authority = host.substr(colon);
    host = host.substr(0, colon);
  } else {
    authority = {};
  }
  if (!authority.empty()) {
    std::string_view port = authority.substr(1);
    int value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value < 1 ||
        value > 65535) {
      return bad("port '" + std::string(port) + "' is not a number between 1 and 65535");
    }
    out->port = value;
  }
  auto h = PercentDecode(host);
  if (!h.ok()) return bad("host: " + h.status().message());
  out->host = *h;
  auto db = PercentDecode(path);
  if (!db.ok()) return bad("database name: " + db.status().message());
  out->dbname = *db;
  if (out->dbname.empty()) return bad("no database name (expected postgres://user:pass@host/dbname)");
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto k = PercentDecode(pair.substr(0, eq));
    auto v = PercentDecode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!k.ok() || !v.ok()) return bad("malformed query parameter '" + std::string(pair) + "'");
    out->params.emplace_back(*k, *v);
  }
  return OkStatus();
}

}  // namespace


Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  const std::string shown = MaskPassword(url);
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return InvalidArgumentError("database URL '" + shown +
                                "' has no scheme (expected sqlite:///path.db or "
                                "postgres://user:pass@host/dbname)");
  }
  DatabaseUrl out;
  out.scheme = std::string(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  if (out.scheme == "sqlite" || out.scheme == "sqliteext") {
    out.kind = DatabaseUrl::Kind::kSqlite;
    // peewee: everything after "scheme:///" is the path; a fourth slash makes it absolute.
    if (rest.empty() || rest.front() != '/') {
      return InvalidArgumentError("database URL '" + shown + "': expected " + out.scheme +
                                  ":///relative.db or " + out.scheme + ":////absolute/path.db");
    }
    rest.remove_prefix(1);
    if (size_t q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
    auto path = PercentDecode(rest);
    if (!path.ok()) return InvalidArgumentError("database URL '" + shown + "': " +
                                                path.status().message());
    out.path = *path;
    if (out.path.empty()) {
      return InvalidArgumentError("database URL '" + shown + "' names no database file");
    }
    return out;
  }
  if (out.scheme == "postgres" || out.scheme == "postgresql") {
    out.kind = DatabaseUrl::Kind::kPostgres;
    PN_RETURN_IF_ERROR(ParsePostgres(rest, &out, shown));
    return out;
  }
  return InvalidArgumentError("database URL '" + shown + "': unsupported scheme '" + out.scheme +
                              "' (expected sqlite, sqliteext, postgres or postgresql)");
}

std::string DatabaseUrl::Redacted() const {
  if (kind == Kind::kSqlite) return scheme + ":///" + path;
  std::string out = scheme + "://";
  if (!user.empty() || !password.empty()) {
    out += user;
    if (!password.empty()) out += ":****";
    out += "@";
  }
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port) {
    out += ":";
    out += std::to_string(*port);
  }
  out += "/" + dbname;
  for (size_t i = 0; i < params.size(); ++i) {
    out += (i == 0 ? "?" : "&") + params[i].first + "=" + params[i].second;
  }
  return out;
}

}  // namespace pn
