#include "api/deliveries_handler.h"

#include "api/error_response.h"
#include "common/time_format.h"

namespace pn::api {
namespace {

Json StatusOrNull(const std::optional<int>& status) {
  return status ? Json(*status) : Json(nullptr);
}

Json AttemptToJson(const DeliveryAttempt& a) {
  Json j = Json::object();
  j["number"] = a.number;
  j["started"] = FormatIsoTimestamp(a.started);
  j["duration_ms"] = static_cast<double>(a.duration.count()) / 1000.0;
  j["policy_status"] = StatusOrNull(a.policy_status);
  j["policy_body"] = a.policy_body;
  j["target_status"] = StatusOrNull(a.target_status);
  j["target_body"] = a.target_body;
  j["error"] = a.error;
  return j;
}

Result<Json> DeliveriesJson(DeliveryStore& deliveries, EventStore& events,
                            const std::string& subscription_uuid) {
  PN_ASSIGN_OR_RETURN(std::vector<Delivery> list,
                      deliveries.DeliveriesForSubscription(subscription_uuid, kMaxDeliveries));
  Json out = Json::array();
  for (const Delivery& d : list) {
    PN_ASSIGN_OR_RETURN(std::vector<DeliveryAttempt> attempts, deliveries.AttemptsFor(d.uuid));
    PN_ASSIGN_OR_RETURN(std::optional<StoredEvent> event, events.FindEvent(d.event_uuid));
    out.push_back(DeliveryToJson(d, attempts, event));
  }
  return out;
}

}  // namespace

Json DeliveryToJson(const Delivery& d, const std::vector<DeliveryAttempt>& attempts,
                    const std::optional<StoredEvent>& event) {
  Json j = Json::object();
  j["uuid"] = d.uuid;
  j["event_uuid"] = d.event_uuid;
  j["subscription_uuid"] = d.subscription_uuid;
  j["state"] = std::string(DeliveryStateName(d.state));
  j["attempt_count"] = d.attempts;
  j["next_attempt_at"] =
      d.state == DeliveryState::kPending ? Json(FormatIsoTimestamp(d.next_attempt_at)) : Json(nullptr);
  j["created"] = FormatIsoTimestamp(d.created);
  j["updated"] = FormatIsoTimestamp(d.updated);
  j["policy_status_code"] = d.policy_status_code;
  j["target_status_code"] = d.target_status_code;
  // A stored event that no longer parses is shown as its text rather than hidden.
  Json event_json = nullptr;
  if (event) {
    auto parsed = ParseJson(event->jsondata);
    event_json = parsed.ok() ? std::move(parsed).value() : Json(event->jsondata);
  }
  j["event"] = std::move(event_json);
  j["attempts"] = Json::array();
  for (const auto& a : attempts) j["attempts"].push_back(AttemptToJson(a));
  return j;
}

void AddDeliveriesResource(Router& router, SubscriptionService& service, DeliveryStore& deliveries,
                           EventStore& events, IdentityOptions identity) {
  router.Add(Resource{
      "/eventmatch",
      {"GET"},
      "",
      [&service, &deliveries, &events, identity = std::move(identity)](RouteRequest req,
                                                                       http::Responder respond) {
        std::string user = CallerIdentity(req.http, identity);
        // Ownership as GET /eventmatch/<uuid>: 400 malformed, 403 unknown/foreign/deleted.
        auto subscription = service.Get(user, req.id.value_or(""));
        if (!subscription.ok()) return respond(ErrorResponse(subscription.status()));
        auto list = DeliveriesJson(deliveries, events, subscription->uuid);
        if (!list.ok()) return respond(ErrorResponse(list.status()));
        respond(JsonResponse(DumpPython(*list)));
      },
      "/deliveries"});
}

}  // namespace pn::api
