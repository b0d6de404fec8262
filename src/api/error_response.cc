#include "api/error_response.h"

#include "http/server.h"
#include "json/json.h"

#ifndef PN_VERSION_STRING
#define PN_VERSION_STRING "0.0.0"
#endif

namespace pn::api {

std::string_view ServiceVersion() { return PN_VERSION_STRING; }

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kInternal:
      return 500;
    case StatusCode::kUnimplemented:
      return 501;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
  }
  return 500;
}

http::Response JsonResponse(std::string body, int http_status) {
  http::Response r;
  r.status = http_status;
  r.headers.Set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

http::Response ErrorResponse(int http_status, std::string_view message) {
  Json body = Json::object();
  body["status"] = std::to_string(http_status) + " " + std::string(http::ReasonPhrase(http_status));
  body["message"] = std::string(message);
  // A C++ service has no Python traceback to show; the key stays for clients that read it.
  body["traceback"] = "";
  body["version"] = std::string(ServiceVersion());
  return JsonResponse(DumpPython(body), http_status);
}

http::Response ErrorResponse(const Status& status) {
  return ErrorResponse(HttpStatusFor(status.code()), status.message());
}

}  // namespace pn::api
