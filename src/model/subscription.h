// Subscription: one row of the original's `eventmatch` table, a user's JSONPath subscription.
// Thread-safety: plain value type.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "json/json.h"

namespace pn {

struct Subscription {
  std::string uuid;  // canonical lower-case hyphenated
  std::string name;
  std::string jsonpath;  // stored verbatim
  std::string user;      // owner, verbatim from the user header
  std::optional<Timestamp> disabled;
  std::optional<std::string> error;
  std::string target_url;
  std::string version = "v0.1";
  Json extensions = Json::object();
  Json auth = Json::object();  // SQL NULL in old rows reads as {}
  Timestamp created{};
  Timestamp updated{};
  std::optional<Timestamp> deleted;

  bool active() const { return !disabled.has_value() && !deleted.has_value(); }
};

// The API representation, keys in the original's order (upstream §2.2): uuid, name, jsonpath,
// user, disabled, error, target_url, version, extensions, auth, created, updated, deleted.
// With redact_secrets, auth passwords/credentials are replaced by kRedactedSecret.
inline constexpr const char* kRedactedSecret = "********";
Json SubscriptionToJson(const Subscription& s, bool redact_secrets = false);

// For an update while secrets are redacted: each password/credentials in `incoming` that is the
// mask, where `stored` has one, keeps the stored value. A client that reads a subscription and
// writes it back (the dashboard's edit form does) would otherwise replace its secret with the
// mask. Everything else is `incoming` as given.
Json KeepRedactedSecrets(const Json& incoming, const Json& stored);

}  // namespace pn
