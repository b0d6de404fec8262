// Validation of /eventmatch request bodies (POST and PUT), kept apart from the handlers: a body
// becomes a SubscriptionPatch or an InvalidArgument status whose message lists every problem.
// Rules: the original's JSON schema (upstream §2.3) with DESIGN §4's stricter checks: name,
// jsonpath and target_url required on create; jsonpath must parse; target_url absolute http(s);
// auth.type "basic" or "header" with complete credentials (`{}` means no authentication).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "json/json.h"

namespace pn::api {

// Longest name/user/version a backend stores (VARCHAR(255) in the original schema).
inline constexpr size_t kMaxShortText = 255;

// The client-settable fields a body carried; absent members stay nullopt.
struct SubscriptionPatch {
  std::optional<std::string> name;
  std::optional<std::string> jsonpath;
  std::optional<std::string> target_url;
  std::optional<std::string> version;
  std::optional<Json> extensions;
  std::optional<Json> auth;
  std::optional<std::optional<Timestamp>> disabled;  // inner nullopt: JSON null (re-enable)
  std::optional<std::optional<std::string>> error;   // inner nullopt: JSON null
  // Server-managed; kept only so an update can refuse to change them.
  std::optional<std::string> user;
  std::optional<std::string> uuid;
};

enum class BodyKind { kCreate, kUpdate };

// Parses and validates a request body. InvalidArgument with every problem, "; "-separated.
Result<SubscriptionPatch> ParseSubscriptionBody(std::string_view body, BodyKind kind);

// OK when `url` is an absolute http:// or https:// URL with a host (and a valid port if any).
Status CheckTargetUrl(std::string_view url);

// OK when `auth` is {} or a complete basic/header authentication object.
Status CheckAuth(const Json& auth);

}  // namespace pn::api
