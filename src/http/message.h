// HTTP request/response values shared by the server (src/http/server) and the handlers that the
// application mounts on it. Handlers answer asynchronously through a Responder so that slow work
// (a durable commit) does not block a server thread.
// Thread-safety: plain values; a Responder may be called from any thread, exactly once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pn::http {

// Header list keeping the order and case received; lookups are case-insensitive.
class Headers {
 public:
  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // First value of the named header, if present.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Replaces every value of the named header with one.
  void Set(std::string name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path plus query
  std::string path;    // percent-decoded path, no query
  std::string query;   // raw query string without '?'
  Headers headers;
  std::string body;
  std::string remote_address;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
};

using Responder = std::function<void(Response)>;
// A handler must call the responder exactly once, now or later, from any thread.
using Handler = std::function<void(Request, Responder)>;

}  // namespace pn::http
