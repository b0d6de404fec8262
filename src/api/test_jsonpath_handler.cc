#include "api/test_jsonpath_handler.h"

#include "api/error_response.h"
#include "jsonpath/jsonpath.h"

namespace pn::api {

Result<Json> TestJsonpath(std::string_view body) {
  auto parsed = ParseJson(body);
  if (!parsed.ok()) {
    return InvalidArgumentError("the request body is not valid JSON: " + parsed.status().message());
  }
  const Json& request = *parsed;
  if (!request.is_object()) {
    return InvalidArgumentError(
        "the request body must be a JSON object {\"jsonpath\": \"...\", \"event\": {...}}");
  }
  auto jsonpath = request.find("jsonpath");
  if (jsonpath == request.end() || !jsonpath->is_string()) {
    return InvalidArgumentError("'jsonpath' is required and must be a string");
  }
  auto event = request.find("event");
  if (event == request.end()) {
    return InvalidArgumentError("'event' is required: the event (any JSON) to evaluate against");
  }
  auto path = jsonpath::Parse(jsonpath->get<std::string>());
  if (!path.ok()) return InvalidArgumentError("invalid jsonpath: " + path.status().message());

  Json out = Json::object();
  out["jsonpath"] = jsonpath::ToString(**path);
  std::vector<jsonpath::Match> partial;
  auto matches = jsonpath::Evaluate(**path, *event, &partial);
  Json results = Json::array();
  for (const auto& m : matches.ok() ? *matches : partial) {
    results.push_back(Json{{"path", m.path}, {"value", m.value}});
  }
  out["matches"] = matches.ok() && !matches->empty();
  out["results"] = std::move(results);
  out["error"] = matches.ok() ? Json(nullptr) : Json(matches.status().message());
  return out;
}

void AddTestJsonpathResource(Router& router) {
  router.Add(Resource{"/eventmatch/test", {"POST"}, "", [](RouteRequest req, http::Responder respond) {
                        auto answer = TestJsonpath(req.http.body);
                        if (!answer.ok()) return respond(ErrorResponse(answer.status()));
                        respond(JsonResponse(DumpPython(*answer)));
                      }});
}

}  // namespace pn::api
