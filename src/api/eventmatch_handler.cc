#include "api/eventmatch_handler.h"

#include "api/error_response.h"
#include "api/subscription_request.h"
#include "json/json.h"

namespace pn::api {
namespace {

http::Response SubscriptionResponse(const Subscription& s, const ApiOptions& options) {
  return JsonResponse(DumpPython(SubscriptionToJson(s, options.redact_secrets)));
}

http::Response Create(SubscriptionService& service, const ApiOptions& options,
                      const RouteRequest& req, const std::string& user) {
  if (req.id) return ErrorResponse(404, "Nothing matches the given URI");
  auto patch = ParseSubscriptionBody(req.http.body, BodyKind::kCreate);
  if (!patch.ok()) return ErrorResponse(patch.status());
  auto created = service.Create(user, *patch);
  if (!created.ok()) return ErrorResponse(created.status());
  return SubscriptionResponse(*created, options);
}

http::Response Read(SubscriptionService& service, const ApiOptions& options,
                    const RouteRequest& req, const std::string& user) {
  if (!req.id) {
    auto list = service.List(user);
    if (!list.ok()) return ErrorResponse(list.status());
    Json array = Json::array();
    for (const auto& s : *list) array.push_back(SubscriptionToJson(s, options.redact_secrets));
    return JsonResponse(DumpPython(array));
  }
  auto found = service.Get(user, *req.id);
  if (!found.ok()) return ErrorResponse(found.status());
  return SubscriptionResponse(*found, options);
}

http::Response Update(SubscriptionService& service, const ApiOptions& options,
                      const RouteRequest& req, const std::string& user) {
  if (!req.id) return ErrorResponse(404, "Missing parameters: event_uuid");
  // Ownership first, as the original: a foreign subscription is 403 whatever the body says.
  auto existing = service.Get(user, *req.id);
  if (!existing.ok()) return ErrorResponse(existing.status());
  auto patch = ParseSubscriptionBody(req.http.body, BodyKind::kUpdate);
  if (!patch.ok()) return ErrorResponse(patch.status());
  if (options.redact_secrets && patch->auth) {
    patch->auth = KeepRedactedSecrets(*patch->auth, existing->auth);
  }
  auto updated = service.Update(user, *req.id, *patch);
  if (!updated.ok()) return ErrorResponse(updated.status());
  return SubscriptionResponse(*updated, options);
}

http::Response Delete(SubscriptionService& service, const RouteRequest& req,
                      const std::string& user) {
  if (!req.id) return ErrorResponse(404, "Missing parameters: event_uuid");
  Status deleted = service.Delete(user, *req.id);
  if (!deleted.ok()) return ErrorResponse(deleted);
  return JsonResponse("");
}

}  // namespace

void AddEventmatchResource(Router& router, SubscriptionService& service, ApiOptions options) {
  router.Add(Resource{
      "/eventmatch",
      {"DELETE", "GET", "POST", "PUT"},
      "event_uuid",
      [&service, options = std::move(options)](RouteRequest req, http::Responder respond) {
        std::string user = CallerIdentity(req.http, options.identity);
        const std::string& method = req.http.method;
        if (method == "POST") return respond(Create(service, options, req, user));
        if (method == "GET") return respond(Read(service, options, req, user));
        if (method == "PUT") return respond(Update(service, options, req, user));
        respond(Delete(service, req, user));
      }});
}

void AddHealthResource(Router& router, std::function<Status()> ping) {
  router.Add(Resource{"/health",
                      {"GET"},
                      "",
                      [ping = std::move(ping)](RouteRequest, http::Responder respond) {
                        Status s = ping();
                        if (!s.ok()) {
                          return respond(ErrorResponse(
                              503, "the database cannot be reached: " + s.message()));
                        }
                        respond(JsonResponse(R"({"status": "ok"})"));
                      }});
}

}  // namespace pn::api
