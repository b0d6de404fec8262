#include "ingest/receive_parser.h"

#include <string>

#include "ingest/cloudevent.h"
#include "ingest/text_codec.h"

namespace pn::ingest {
namespace {

constexpr std::string_view kBatchJson = "application/cloudevents-batch+json";
constexpr std::string_view kStructuredJson = "application/cloudevents+json";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The body as JSON, with the reason for a person when it is not.
Result<Json> ParseBody(const std::string& body) {
  if (body.empty()) return InvalidArgumentError("request body is empty: send the event as JSON");
  if (auto bad = FindInvalidUtf8(body)) {
    return InvalidArgumentError("request body is not valid UTF-8 (invalid byte at offset " +
                                std::to_string(*bad) + ")");
  }
  auto parsed = ParseJson(body);
  if (!parsed.ok()) {
    std::string why = parsed.status().message();
    constexpr std::string_view kPrefix = "invalid JSON: ";
    if (StartsWith(why, kPrefix)) why.erase(0, kPrefix.size());
    return InvalidArgumentError("request body is not valid JSON: " + why);
  }
  return parsed;
}

Result<ReceivedEvents> ParseBatch(const std::string& body) {
  PN_ASSIGN_OR_RETURN(Json doc, ParseBody(body));
  if (!doc.is_array()) {
    return InvalidArgumentError(std::string("a CloudEvents batch must be a JSON array, got ") +
                                std::string(JsonKindName(doc)));
  }
  ReceivedEvents out;
  out.batch = true;
  for (size_t i = 0; i < doc.size(); ++i) {
    Json& e = doc[i];
    const std::string where = "batch element " + std::to_string(i) + ": ";
    if (!e.is_object()) {
      return InvalidArgumentError(where + "the event must be a JSON object, got " +
                                  std::string(JsonKindName(e)));
    }
    if (!e.contains("specversion")) {
      return InvalidArgumentError(where + "a batch holds CloudEvents 1.0 events, and this one "
                                          "has no \"specversion\"");
    }
    Status valid = ValidateStructuredEvent(e);
    if (!valid.ok()) return InvalidArgumentError(where + valid.message());
    out.events.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<ReceivedEvents> ParseReceiveRequest(const http::Request& req, const ReceiveLimits& limits) {
  if (req.body.size() > limits.max_body_bytes) {
    return ResourceExhaustedError("request body is " + std::to_string(req.body.size()) +
                                  " bytes, more than the " + std::to_string(limits.max_body_bytes) +
                                  " bytes allowed (max_body_bytes)");
  }
  auto content_type = req.headers.Get("content-type");
  const std::string media = content_type ? MediaType(*content_type) : "";
  if (media == "application/x-www-form-urlencoded" || StartsWith(media, "multipart/")) {
    return InvalidArgumentError("form-encoded bodies are not accepted (Content-Type " + media +
                                "): send the event as JSON with Content-Type application/json");
  }
  if (media == kBatchJson) return ParseBatch(req.body);
  if (StartsWith(media, "application/cloudevents-batch+")) {
    return UnimplementedError("unsupported CloudEvents batch format " + media +
                              ": only application/cloudevents-batch+json is accepted");
  }
  if (StartsWith(media, "application/cloudevents+") && media != kStructuredJson) {
    return UnimplementedError("unsupported CloudEvents event format " + media +
                              ": only application/cloudevents+json is accepted");
  }
  ReceivedEvents out;
  if (media != kStructuredJson && IsBinaryMode(req.headers)) {
    PN_ASSIGN_OR_RETURN(Json event, BinaryModeToStructured(req));
    out.events.push_back(std::move(event));
    return out;
  }
  // Structured mode. Like the original, any other Content-Type (or none) is read as JSON.
  PN_ASSIGN_OR_RETURN(Json event, ParseBody(req.body));
  PN_RETURN_IF_ERROR(ValidateStructuredEvent(event));
  out.events.push_back(std::move(event));
  return out;
}

}  // namespace pn::ingest
