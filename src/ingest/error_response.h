// The service's JSON error body for /receive answers:
// {"status": "400 Bad Request", "message": "...", "traceback": "", "version": "..."}
// (DESIGN §4), serialised like Python json.dumps. Kept here until src/api offers one shared
// function; the shape is the same.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "common/status.h"
#include "http/message.h"

namespace pn::ingest {

// "Bad Request", "Request Entity Too Large", ... (Python's http.HTTPStatus phrases).
std::string_view ReasonPhrase(int status);

// The HTTP status of a /receive failure: InvalidArgument 400, ResourceExhausted 413,
// Unimplemented 415 (unsupported event format), Unavailable 503, anything else 500.
int ReceiveHttpStatus(StatusCode code);

http::Response ErrorResponse(int status, std::string_view message, std::string_view version);

}  // namespace pn::ingest
