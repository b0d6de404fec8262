#include "api/router.h"

#include <algorithm>

#include "api/error_response.h"
#include "common/percent_encoding.h"

namespace pn::api {
namespace {


std::string AllowValue(const std::vector<std::string>& methods) {
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

http::Responder WithAllow(http::Responder respond, std::string allow) {
  return [respond = std::move(respond), allow = std::move(allow)](http::Response r) {
    r.headers.Set("Allow", allow);
    respond(std::move(r));
  };
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string value =
        eq == std::string_view::npos ? std::string() : PercentDecodeLenient(part.substr(eq + 1), true);
    out.emplace_back(PercentDecodeLenient(part.substr(0, eq), true), std::move(value));
  }
  return out;
}

void Router::Add(Resource resource) {
  auto& m = resource.methods;
  if (std::find(m.begin(), m.end(), "GET") != m.end() &&
      std::find(m.begin(), m.end(), "HEAD") == m.end()) {
    m.push_back("HEAD");
  }
  std::sort(m.begin(), m.end());
  resources_.push_back(std::move(resource));
}

void Router::Mount(std::string path, std::vector<std::string> methods, http::Handler handler) {
  Add(Resource{std::move(path), std::move(methods), "",
               [handler = std::move(handler)](RouteRequest req, http::Responder respond) {
                 handler(std::move(req.http), std::move(respond));
               }});
}

http::Handler Router::AsHandler() const {
  return [this](http::Request request, http::Responder respond) {
    Handle(std::move(request), std::move(respond));
  };
}

void Router::Handle(http::Request request, http::Responder respond) const {
  const Resource* resource = nullptr;
  std::string_view rest;
  std::optional<std::string> suffix_id;
  for (const auto& r : resources_) {
    std::string_view path = request.path;
    if (!r.id_suffix.empty()) {
      if (path.size() > r.path.size() + 1 + r.id_suffix.size() && path.starts_with(r.path) &&
          path[r.path.size()] == '/' && path.ends_with(r.id_suffix)) {
        std::string_view id = path.substr(r.path.size() + 1);
        id.remove_suffix(r.id_suffix.size());
        if (id.find('/') == std::string_view::npos) {
          resource = &r;
          rest = {};
          suffix_id = std::string(id);
          break;
        }
      }
      continue;
    }
    bool matches = path == r.path || (path.starts_with(r.path) && path[r.path.size()] == '/');
    if (matches && (resource == nullptr || r.path.size() > resource->path.size())) {
      resource = &r;
      rest = path.substr(r.path.size());
    }
  }
  if (resource == nullptr) {
    return WithAllow(std::move(respond), "")(ErrorResponse(404, "Nothing matches the given URI"));
  }
  auto reply = WithAllow(std::move(respond), AllowValue(resource->methods));
  const auto& methods = resource->methods;
  if (std::find(methods.begin(), methods.end(), request.method) == methods.end()) {
    return reply(ErrorResponse(405, "Specified method is invalid for this resource"));
  }

  RouteRequest routed;
  routed.id = suffix_id;
  if (rest.starts_with("/")) rest.remove_prefix(1);
  if (!rest.empty()) {
    // One segment binds the id; more, or any segment on a resource without id, match nothing.
    if (resource->id_parameter.empty() || rest.find('/') != std::string_view::npos) {
      return reply(ErrorResponse(404, "Nothing matches the given URI"));
    }
    routed.id = std::string(rest);
  }
  std::vector<std::string> unexpected;
  for (auto& [name, value] : ParseQuery(request.query)) {
    if (!resource->id_parameter.empty() && name == resource->id_parameter) {
      if (value.empty()) continue;  // "?event_uuid=" counts as no id, as in the original
      if (routed.id) {
        return reply(ErrorResponse(400, "'" + name + "' was given more than once (path or query)"));
      }
      routed.id = value;
    } else if (std::find(unexpected.begin(), unexpected.end(), name) == unexpected.end()) {
      unexpected.push_back(name);
    }
  }
  if (!unexpected.empty()) {
    std::string names;
    for (const auto& n : unexpected) names += (names.empty() ? "" : ", ") + n;
    return reply(ErrorResponse(404, "Unexpected query string parameters: " + names));
  }
  if (request.method == "HEAD") request.method = "GET";  // the server drops the body
  routed.http = std::move(request);
  resource->handler(std::move(routed), std::move(reply));
}

}  // namespace pn::api
