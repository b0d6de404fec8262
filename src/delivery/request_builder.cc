#include "delivery/request_builder.h"

#include <array>
#include <cstdint>

namespace pn::delivery {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool KeepInSegment(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':  // unreserved
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':  // sub-delims
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
      return true;
    default:
      return false;
  }
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// UTF-8 text as Latin-1 bytes, or nullopt when a character is above U+00FF (or the text is not
// valid UTF-8, which our JSON layer never produces).
std::optional<std::string> ToLatin1(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size() &&
               (static_cast<unsigned char>(utf8[i + 1]) & 0xC0) == 0x80) {
      out +=
          static_cast<char>(((c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F));
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// A string member of `obj`, "" when missing or null; InvalidArgument for any other type.
Result<std::string> StringField(const Json& obj, const char* key, std::string_view where) {
  if (!obj.is_object()) return std::string();
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return InvalidArgumentError("subscription auth." + std::string(where) + "." + key +
                                " must be a string, not " + it->type_name());
  }
  return it->get<std::string>();
}

}  // namespace

std::string PercentEncodePathSegment(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (KeepInSegment(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string PolicyUrl(std::string_view policy_url, std::string_view user) {
  while (!policy_url.empty() && policy_url.back() == '/') policy_url.remove_suffix(1);
  return std::string(policy_url) + "/events/" + PercentEncodePathSegment(user);
}

outbound::OutboundRequest BuildPolicyRequest(std::string_view policy_url, std::string_view user,
                                             const std::string& event_json, Duration timeout) {
  outbound::OutboundRequest r;
  r.method = "POST";
  r.url = PolicyUrl(policy_url, user);
  r.headers = {{"Content-Type", "application/json"}};
  r.body = event_json;
  r.timeout = timeout;
  return r;
}

Status MergeExtensions(Json& event, const Json& subscription_extensions) {
  if (!event.is_object()) {
    return InvalidArgumentError(std::string("cannot merge extensions: the event is a JSON ") +
                                event.type_name() + ", not an object");
  }
  if (!subscription_extensions.is_object()) {
    return InvalidArgumentError(
        std::string("cannot merge extensions: the subscription's extensions is a JSON ") +
        subscription_extensions.type_name() + ", not an object");
  }
  auto it = event.find("extensions");
  if (it == event.end()) {
    event["extensions"] = subscription_extensions;  // appended at the end, as the original
    return OkStatus();
  }
  if (!it->is_object()) {
    return InvalidArgumentError(std::string("cannot merge extensions: the event's extensions is "
                                            "a JSON ") +
                                it->type_name() + ", not an object");
  }
  for (const auto& [key, value] : subscription_extensions.items()) (*it)[key] = value;
  return OkStatus();
}

std::string BasicAuthorization(std::string_view username, std::string_view password) {
  std::string credentials = std::string(username) + ":" + std::string(password);
  std::optional<std::string> latin1 = ToLatin1(credentials);
  return "Basic " + Base64(latin1 ? *latin1 : credentials);
}

Result<std::string> AuthorizationFor(const Json& auth) {
  if (!auth.is_object()) return std::string();
  auto type = auth.find("type");
  if (type == auth.end() || !type->is_string()) return std::string();
  if (*type == "basic") {
    const Json& basic = auth.contains("basic") ? auth["basic"] : Json();
    PN_ASSIGN_OR_RETURN(std::string user, StringField(basic, "username", "basic"));
    PN_ASSIGN_OR_RETURN(std::string password, StringField(basic, "password", "basic"));
    return BasicAuthorization(user, password);
  }
  if (*type == "header") {
    const Json& header = auth.contains("header") ? auth["header"] : Json();
    PN_ASSIGN_OR_RETURN(std::string scheme, StringField(header, "type", "header"));
    PN_ASSIGN_OR_RETURN(std::string credentials, StringField(header, "credentials", "header"));
    return scheme + " " + credentials;
  }
  return std::string();
}

bool IsCloudEvents10(const Json& event) {
  if (!event.is_object()) return false;
  auto it = event.find("specversion");
  return it != event.end() && it->is_string() && *it == "1.0";
}

Result<Json> ParseStoredEvent(const std::string& event_json) {
  Result<Json> parsed = ParseJson(event_json);
  if (!parsed.ok()) {
    return InvalidArgumentError("the stored event is not valid JSON: " + parsed.status().message());
  }
  return parsed;
}

Result<outbound::OutboundRequest> BuildTargetRequest(const Subscription& subscription,
                                                     const std::string& event_json,
                                                     Duration timeout) {
  PN_ASSIGN_OR_RETURN(Json event, ParseStoredEvent(event_json));
  return BuildTargetRequestFromJson(subscription, event, timeout);
}

Result<outbound::OutboundRequest> BuildTargetRequestFromJson(const Subscription& subscription,
                                                             const Json& stored_event,
                                                             Duration timeout) {
  PN_ASSIGN_OR_RETURN(std::string body, TargetBody(subscription, stored_event));
  return TargetRequestWithBody(subscription, std::move(body), IsCloudEvents10(stored_event),
                               timeout);
}

Result<std::string> TargetBody(const Subscription& subscription, const Json& stored_event) {
  Json event = stored_event;
  PN_RETURN_IF_ERROR(MergeExtensions(event, subscription.extensions));
  return DumpPython(event);
}

Result<outbound::OutboundRequest> TargetRequestWithBody(const Subscription& subscription,
                                                        std::string body, bool cloudevents10,
                                                        Duration timeout) {
  PN_ASSIGN_OR_RETURN(std::string authorization, AuthorizationFor(subscription.auth));
  outbound::OutboundRequest r;
  r.method = "POST";
  r.url = subscription.target_url;
  r.headers.emplace_back("Content-Type", cloudevents10
                                             ? "application/cloudevents+json; charset=utf-8"
                                             : "application/json");
  if (!authorization.empty()) r.headers.emplace_back("Authorization", std::move(authorization));
  r.body = std::move(body);
  r.timeout = timeout;
  return r;
}

bool HasNoExtensions(const Subscription& subscription) {
  return subscription.extensions.is_object() && subscription.extensions.empty();
}

}  // namespace pn::delivery
