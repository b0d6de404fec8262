#include "logging/request_log.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/time_format.h"
#include "json/json.h"

namespace pn::logging {
namespace {

std::string Millis(Duration d) { return fmt::format("{:.3f}", static_cast<double>(d.count()) / 1000.0); }

// The uuid segment of /eventmatch/<uuid>[/...], if any ("test" is the jsonpath tester).
std::string SubscriptionFromPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/eventmatch/";
  if (!path.starts_with(kPrefix)) return "";
  std::string_view rest = path.substr(kPrefix.size());
  rest = rest.substr(0, rest.find('/'));
  return rest == "test" ? "" : std::string(rest);
}

std::string EventsFromReceiveAnswer(const http::Response& r) {
  if (r.body.starts_with('[')) {
    auto parsed = ParseJson(r.body);
    if (!parsed.ok() || !parsed->is_array()) return "";
    std::string out;
    for (const auto& id : *parsed) {
      if (id.is_string()) out += (out.empty() ? "" : ",") + id.get<std::string>();
    }
    return out;
  }
  return r.body;
}

}  // namespace

Fields RequestFields(const http::Request& request, const http::Response& response,
                     std::string_view user, Duration elapsed) {
  Fields f{{"method", request.method},
           {"path", request.path},
           {"status", std::to_string(response.status)},
           {"duration_ms", Millis(elapsed)},
           {"user", std::string(user)}};
  std::string subscription = SubscriptionFromPath(request.path);
  if (response.status == 200 && request.path == "/receive") {
    f.emplace_back("event", EventsFromReceiveAnswer(response));
  }
  if (subscription.empty() && response.status == 200 && request.method == "POST" &&
      request.path == "/eventmatch") {
    auto created = ParseJson(response.body);
    if (created.ok() && created->is_object() && created->contains("uuid")) {
      subscription = created->value("uuid", "");
    }
  }
  if (!subscription.empty()) f.emplace_back("subscription", subscription);
  if (response.status >= 400) {
    auto error = ParseJson(response.body);
    if (error.ok() && error->is_object() && (*error)["message"].is_string()) {
      f.emplace_back("error", (*error)["message"].get<std::string>());
    }
  }
  return f;
}

http::Handler LogRequests(http::Handler inner, api::IdentityOptions identity) {
  return [inner = std::move(inner), identity = std::move(identity)](http::Request request,
                                                                    http::Responder respond) {
    auto started = std::chrono::steady_clock::now();
    // What the line needs is copied before the request moves on (its body may be large).
    http::Request head;
    head.method = request.method;
    head.path = request.path;
    std::string user = api::CallerIdentity(request, identity);
    inner(std::move(request), [respond = std::move(respond), head = std::move(head),
                               user = std::move(user), started](http::Response r) {
      auto elapsed = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
      LogEvent(r.status >= 500 ? spdlog::level::warn : spdlog::level::info, "request",
               RequestFields(head, r, user, elapsed));
      respond(std::move(r));
    });
  };
}

std::function<void(const http::ExchangeRecord&)> LogServerRejections() {
  return [](const http::ExchangeRecord& rec) {
    // Statuses only the server produces, or a 400/413 for which no request was dispatched (an
    // unparsable request has no method; an oversized body was never read).
    bool server_only = rec.status == 408 || rec.status == 411 || rec.status == 431;
    bool undispatched = (rec.status == 400 && rec.request.method.empty()) ||
                        (rec.status == 413 && rec.request.body.empty());
    if (!server_only && !undispatched) return;
    LogEvent(spdlog::level::info, "request rejected by the server",
             {{"method", rec.request.method},
              {"path", rec.request.path},
              {"status", std::to_string(rec.status)},
              {"duration_ms", Millis(rec.duration)}});
  };
}

Fields AttemptFields(const Delivery& after, const DeliveryAttempt& attempt,
                     bool subscription_disabled) {
  std::string outcome = after.state == DeliveryState::kPending
                            ? "retry"
                            : std::string(DeliveryStateName(after.state));
  Fields f{{"delivery", after.uuid},
           {"event", after.event_uuid},
           {"subscription", after.subscription_uuid},
           {"attempt", std::to_string(attempt.number)},
           {"outcome", outcome},
           {"policy_status", attempt.policy_status ? std::to_string(*attempt.policy_status) : "-"},
           {"target_status", attempt.target_status ? std::to_string(*attempt.target_status) : "-"},
           {"duration_ms", Millis(attempt.duration)}};
  if (after.state == DeliveryState::kPending) {
    f.emplace_back("next_attempt_at", FormatIsoTimestamp(after.next_attempt_at));
  }
  if (!attempt.error.empty()) f.emplace_back("error", attempt.error);
  if (subscription_disabled) f.emplace_back("subscription_disabled", "true");
  return f;
}

void LogAttempt(const Delivery& after, const DeliveryAttempt& attempt, bool subscription_disabled) {
  bool bad = after.state == DeliveryState::kFailed || subscription_disabled;
  LogEvent(bad ? spdlog::level::warn : spdlog::level::info, "delivery attempt",
           AttemptFields(after, attempt, subscription_disabled));
}

}  // namespace pn::logging
