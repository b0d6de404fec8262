#include "model/subscription.h"

#include "common/time_format.h"

namespace pn {
namespace {

Json OptionalTime(const std::optional<Timestamp>& t) {
  return t ? Json(FormatIsoTimestamp(*t)) : Json(nullptr);
}

Json RedactedAuth(const Json& auth) {
  Json copy = auth;
  if (!copy.is_object()) return copy;
  auto mask = [](Json& obj, const char* key) {
    if (obj.is_object() && obj.contains(key)) obj[key] = "********";
  };
  if (copy.contains("basic")) mask(copy["basic"], "password");
  if (copy.contains("header")) mask(copy["header"], "credentials");
  return copy;
}

}  // namespace

Json SubscriptionToJson(const Subscription& s, bool redact_secrets) {
  Json j = Json::object();
  j["uuid"] = s.uuid;
  j["name"] = s.name;
  j["jsonpath"] = s.jsonpath;
  j["user"] = s.user;
  j["disabled"] = OptionalTime(s.disabled);
  j["error"] = s.error ? Json(*s.error) : Json(nullptr);
  j["target_url"] = s.target_url;
  j["version"] = s.version;
  j["extensions"] = s.extensions;
  j["auth"] = redact_secrets ? RedactedAuth(s.auth) : s.auth;
  j["created"] = FormatIsoTimestamp(s.created);
  j["updated"] = FormatIsoTimestamp(s.updated);
  j["deleted"] = OptionalTime(s.deleted);
  return j;
}

}  // namespace pn
