// Routes requests to resources the way the original's CherryPy MethodDispatcher did
// (upstream §2.1): a resource path plus at most one id segment (also accepted as a query
// parameter of the resource's id name), HEAD served by GET, an `Allow` header on every answer,
// 405 for a method the resource lacks, 404 for unknown paths, extra segments and unexpected
// query parameters, all with the JSON error body. The longest matching resource path wins (so
// "/eventmatch/test" is not taken as an id of "/eventmatch"); `path/<id><suffix>` resources
// (Resource::id_suffix) are tried first.
// Thread-safety: configure with Add/Mount before serving; Handle may then run concurrently.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace pn::api {

struct RouteRequest {
  http::Request http;             // method is "GET" for a HEAD request
  std::optional<std::string> id;  // the bound id (path segment or query), if any
};
using RouteHandler = std::function<void(RouteRequest, http::Responder)>;

struct Resource {
  std::string path;                  // e.g. "/eventmatch"
  std::vector<std::string> methods;  // e.g. {"DELETE", "GET", "POST", "PUT"}; HEAD follows GET
  std::string id_parameter;          // e.g. "event_uuid"; empty: the resource takes no id
  RouteHandler handler;
  // When set (e.g. "/deliveries"), the resource is `path/<id>/<suffix>`: the id segment is
  // required and bound from the path only.
  std::string id_suffix = {};
};

class Router {
 public:
  void Add(Resource resource);
  // A plain handler on a resource without id (e.g. /receive from src/ingest).
  void Mount(std::string path, std::vector<std::string> methods, http::Handler handler);
  void Handle(http::Request request, http::Responder respond) const;
  // A handler for http::Server; the router must outlive the server.
  http::Handler AsHandler() const;

 private:
  std::vector<Resource> resources_;
};

// "a=1&b&c=%41" -> {("a","1"), ("b",""), ("c","A")}: names and values percent-decoded, '+' is
// a space (HTML form encoding, as CherryPy parsed query strings).
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace pn::api
