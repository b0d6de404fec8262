// Request building for one delivery (DESIGN §5, upstream §3.3-§3.4): the policy call and the
// target call, as pure functions of the stored event, the subscription and the options.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "json/json.h"
#include "model/subscription.h"
#include "outbound/http_client.h"

namespace pn::delivery {

// Percent-encodes one path segment: RFC 3986 unreserved characters, sub-delims, ':' and '@' stay,
// everything else (including '/', '%', space and non-ASCII bytes) becomes %XX.
std::string PercentEncodePathSegment(std::string_view text);

// `{policy_url}/events/{user}`; trailing slashes of policy_url do not double up.
std::string PolicyUrl(std::string_view policy_url, std::string_view user);

// POST {policy_url}/events/{user}, body = the stored event text as received.
outbound::OutboundRequest BuildPolicyRequest(std::string_view policy_url, std::string_view user,
                                             const std::string& event_json, Duration timeout);

// The event with the subscription's extensions merged in (subscription keys win; existing keys
// keep their position, new ones are appended; a missing "extensions" member is appended).
// InvalidArgument when the event is not an object, or either extensions is not an object.
Status MergeExtensions(Json& event, const Json& subscription_extensions);

// "Basic base64(user:password)". Credentials are encoded as Latin-1 like the original when every
// character fits; otherwise (the original crashed) they are sent as their UTF-8 bytes.
std::string BasicAuthorization(std::string_view username, std::string_view password);

// The Authorization header value for a subscription's `auth`, or "" for none.
// InvalidArgument when a credential field is present but not a string.
Result<std::string> AuthorizationFor(const Json& auth);

// True when the event declares CloudEvents 1.0 ("specversion": "1.0").
bool IsCloudEvents10(const Json& event);

// POST target_url with the merged event, auth and content type; InvalidArgument (with a message
// for a person) when the event or the subscription makes a delivery impossible.
Result<outbound::OutboundRequest> BuildTargetRequest(const Subscription& subscription,
                                                     const std::string& event_json,
                                                     Duration timeout);

// The same from an already parsed event (the worker parses each event once per batch).
Result<outbound::OutboundRequest> BuildTargetRequestFromJson(const Subscription& subscription,
                                                             const Json& stored_event,
                                                             Duration timeout);

// The parts of BuildTargetRequestFromJson, so that a caller delivering one event to many
// subscriptions serializes the body once for all those that share it:
// the body (the event with the subscription's extensions merged, as Python's json.dumps writes
// it) ...
Result<std::string> TargetBody(const Subscription& subscription, const Json& stored_event);
// ... and the request around a body made by TargetBody for this subscription (or for another
// one with the same extensions); `cloudevents10` is IsCloudEvents10 of the stored event.
Result<outbound::OutboundRequest> TargetRequestWithBody(const Subscription& subscription,
                                                        std::string body, bool cloudevents10,
                                                        Duration timeout);
// True when the subscription's extensions are an empty object: the body then depends on the
// event alone.
bool HasNoExtensions(const Subscription& subscription);

// ParseJson with the error worded for a stored event.
Result<Json> ParseStoredEvent(const std::string& event_json);

}  // namespace pn::delivery
