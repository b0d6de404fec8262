#include "ingest/cloudevent.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/percent_encoding.h"
#include "ingest/text_codec.h"

namespace pn::ingest {
namespace {

constexpr std::string_view kRequired[] = {"id", "source", "type"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsJsonMediaType(const std::string& m) {
  return m == "application/json" || m == "text/json" ||
         (m.size() > 5 && m.compare(m.size() - 5, 5, "+json") == 0);
}

}  // namespace

std::string MediaType(std::string_view content_type) {
  std::string_view m = content_type.substr(0, content_type.find(';'));
  while (!m.empty() && std::isspace(static_cast<unsigned char>(m.front()))) m.remove_prefix(1);
  while (!m.empty() && std::isspace(static_cast<unsigned char>(m.back()))) m.remove_suffix(1);
  return Lower(m);
}

std::string_view JsonKindName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "a number";
  }
}

Status ValidateStructuredEvent(const Json& event) {
  if (!event.is_object()) {
    return InvalidArgumentError(std::string("the event must be a JSON object, got ") +
                                std::string(JsonKindName(event)));
  }
  auto spec = event.find("specversion");
  if (spec == event.end()) return OkStatus();
  if (!spec->is_string()) {
    return InvalidArgumentError(std::string("CloudEvents attribute \"specversion\" must be a "
                                            "string, got ") +
                                std::string(JsonKindName(*spec)));
  }
  const auto& version = spec->get_ref<const std::string&>();
  if (version != "1.0") {
    return InvalidArgumentError("unsupported CloudEvents specversion \"" + version +
                                "\": this service accepts \"1.0\" (and CloudEvents 0.1 events, "
                                "which carry \"cloudEventsVersion\" instead)");
  }
  for (std::string_view name : kRequired) {
    auto it = event.find(std::string(name));
    if (it == event.end()) {
      return InvalidArgumentError("CloudEvents 1.0 event lacks the required attribute \"" +
                                  std::string(name) + "\"");
    }
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return InvalidArgumentError("CloudEvents 1.0 attribute \"" + std::string(name) +
                                  "\" must be a non-empty string, got " +
                                  (it->is_string() ? std::string("an empty string")
                                                   : std::string(JsonKindName(*it))));
    }
  }
  if (event.contains("data") && event.contains("data_base64")) {
    return InvalidArgumentError(
        "a CloudEvents 1.0 event must not have both \"data\" and \"data_base64\"");
  }
  return OkStatus();
}

bool IsBinaryMode(const http::Headers& headers) {
  return headers.Get("ce-specversion").has_value();
}

Result<Json> BinaryModeToStructured(const http::Request& req) {
  Json event = Json::object();
  // The spec's own attributes first, in the spec's order, then extensions as they arrived.
  for (std::string_view name : {"specversion", "id", "source", "type"}) {
    auto value = req.headers.Get("ce-" + std::string(name));
    if (value) event[std::string(name)] = std::string(*value);  // decoded below
  }
  auto content_type = req.headers.Get("content-type");
  if (content_type) event["datacontenttype"] = std::string(*content_type);
  for (const auto& [raw_name, raw_value] : req.headers.fields()) {
    std::string name = Lower(raw_name);
    if (name.size() <= 3 || name.compare(0, 3, "ce-") != 0) continue;
    std::string attr = name.substr(3);
    if (attr == "data" || attr == "data_base64") {
      return InvalidArgumentError("binary-mode header " + name +
                                  " is not allowed: the event data is the request body");
    }
    if (!event.contains(attr)) event[attr] = raw_value;  // a repeated header: the first wins
  }
  for (auto& [attr, value] : event.items()) {
    if (attr == "datacontenttype") continue;
    auto decoded = PercentDecode(value.get_ref<const std::string&>());
    if (!decoded.ok()) {
      return InvalidArgumentError("binary-mode header ce-" + attr +
                                  " is not validly percent-encoded: " + decoded.status().message());
    }
    if (auto bad = FindInvalidUtf8(*decoded)) {
      return InvalidArgumentError("binary-mode header ce-" + attr +
                                  " does not decode to UTF-8 (invalid byte at offset " +
                                  std::to_string(*bad) + ")");
    }
    value = std::move(decoded).value();
  }
  for (std::string_view name : {"specversion", "id", "source", "type"}) {
    if (!event.contains(std::string(name))) {
      return InvalidArgumentError("binary-mode CloudEvents request lacks the required header ce-" +
                                  std::string(name));
    }
  }
  if (!req.body.empty()) {
    const std::string media = content_type ? MediaType(*content_type) : "application/json";
    const auto bad_utf8 = FindInvalidUtf8(req.body);
    if (IsJsonMediaType(media)) {
      if (bad_utf8) {
        return InvalidArgumentError("binary-mode body is declared as JSON but is not valid "
                                    "UTF-8 (invalid byte at offset " +
                                    std::to_string(*bad_utf8) + ")");
      }
      auto data = ParseJson(req.body);
      if (!data.ok()) {
        return InvalidArgumentError("binary-mode body is declared as JSON (Content-Type " +
                                    media + ") but is not: " + data.status().message());
      }
      event["data"] = std::move(data).value();
    } else if (!bad_utf8) {
      event["data"] = req.body;
    } else {
      event["data_base64"] = Base64Encode(req.body);
    }
  }
  PN_RETURN_IF_ERROR(ValidateStructuredEvent(event));
  return event;
}

}  // namespace pn::ingest
