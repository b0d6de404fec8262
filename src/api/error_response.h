// The one place where Status codes become HTTP statuses, and the JSON error body every error
// answer carries: {"status": "404 Not Found", "message": ..., "traceback": "", "version": ...}.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "common/status.h"
#include "http/message.h"

namespace pn::api {

// This service's version, as error bodies report it.
std::string_view ServiceVersion();

// The HTTP status a Status code is answered with (kOk -> 200).
int HttpStatusFor(StatusCode code);

// An error answer with the given HTTP status and a message for a person.
http::Response ErrorResponse(int http_status, std::string_view message);
// An error answer for a non-OK status: HttpStatusFor(status.code()) and its message.
http::Response ErrorResponse(const Status& status);

// A 200 (or `http_status`) answer with a Python-json.dumps-formatted JSON body.
http::Response JsonResponse(std::string body, int http_status = 200);

}  // namespace pn::api
