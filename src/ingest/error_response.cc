#include "ingest/error_response.h"

#include <string>

#include "json/json.h"

namespace pn::ingest {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

int ReceiveHttpStatus(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnimplemented: return 415;
    case StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

http::Response ErrorResponse(int status, std::string_view message, std::string_view version) {
  Json body = Json::object();
  body["status"] = std::to_string(status) + " " + std::string(ReasonPhrase(status));
  body["message"] = std::string(message);
  body["traceback"] = "";
  body["version"] = std::string(version);
  http::Response resp;
  resp.status = status;
  resp.headers.Add("Content-Type", "application/json");
  resp.body = DumpPython(body);
  return resp;
}

}  // namespace pn::ingest
