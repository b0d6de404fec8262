// CloudEvents rules for /receive: validation of structured events and conversion of binary-mode
// requests (ce-* headers + body) into the structured 1.0 JSON form that is stored.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "http/message.h"
#include "json/json.h"

namespace pn::ingest {

// An object with "specversion" must be a valid CloudEvents 1.0 event: specversion "1.0"; id,
// source and type non-empty strings; not both data and data_base64. Objects without it
// (CloudEvents 0.1 with "cloudEventsVersion", or any JSON object) are accepted as the original
// accepts them. InvalidArgument with a message naming the attribute.
Status ValidateStructuredEvent(const Json& event);

// "null", "a boolean", "a number", "a string", "an array", "an object" (for messages).
std::string_view JsonKindName(const Json& v);

// Media type without parameters, lower-cased: "Application/JSON; charset=utf-8" ->
// "application/json".
std::string MediaType(std::string_view content_type);

// True when the request carries a ce-specversion header (binary content mode).
bool IsBinaryMode(const http::Headers& headers);

// Builds the structured 1.0 event from a binary-mode request: ce-* headers (names lower-cased,
// values percent-decoded, which must give UTF-8) become attributes, Content-Type becomes
// datacontenttype, and the body becomes `data` (JSON when the content type is JSON or absent,
// else a string when it is UTF-8, else `data_base64`). The result is validated as above.
Result<Json> BinaryModeToStructured(const http::Request& req);

}  // namespace pn::ingest
