#include "model/subscription.h"

#include <utility>

#include "common/time_format.h"

namespace pn {
namespace {

Json OptionalTime(const std::optional<Timestamp>& t) {
  return t ? Json(FormatIsoTimestamp(*t)) : Json(nullptr);
}

// The secrets an auth object may hold: (section, key).
constexpr std::pair<const char*, const char*> kSecretFields[] = {{"basic", "password"},
                                                                 {"header", "credentials"}};

// auth[section][key] when present, else null.
const Json* SecretIn(const Json& auth, const char* section, const char* key) {
  if (!auth.is_object()) return nullptr;
  auto part = auth.find(section);
  if (part == auth.end() || !part->is_object()) return nullptr;
  auto value = part->find(key);
  return value == part->end() ? nullptr : &*value;
}

Json RedactedAuth(const Json& auth) {
  Json copy = auth;
  for (const auto& [section, key] : kSecretFields) {
    if (SecretIn(copy, section, key) != nullptr) copy[section][key] = kRedactedSecret;
  }
  return copy;
}

}  // namespace

Json KeepRedactedSecrets(const Json& incoming, const Json& stored) {
  Json merged = incoming;
  for (const auto& [section, key] : kSecretFields) {
    const Json* given = SecretIn(incoming, section, key);
    const Json* kept = SecretIn(stored, section, key);
    if (given != nullptr && kept != nullptr && *given == kRedactedSecret) {
      merged[section][key] = *kept;
    }
  }
  return merged;
}

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
