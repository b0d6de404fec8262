#include "api/subscription_request.h"

#include <cctype>
#include <vector>

#include "common/time_format.h"
#include "jsonpath/jsonpath.h"

namespace pn::api {
namespace {

std::string Describe(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "an unsupported value";
  }
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
}

// Collects problems while reading members of one JSON object.
class Reader {
 public:
  Reader(const Json& object, std::vector<std::string>* problems)
      : object_(object), problems_(problems) {}

  std::optional<std::string> String(const char* key) {
    auto it = object_.find(key);
    if (it == object_.end()) return std::nullopt;
    if (!it->is_string()) {
      problems_->push_back(Quoted(key) + " must be a string, got " + Describe(*it));
      return std::nullopt;
    }
    return it->get<std::string>();
  }
  // Present-and-string, present-and-null (inner nullopt), or absent/wrong (outer nullopt).
  std::optional<std::optional<std::string>> StringOrNull(const char* key) {
    auto it = object_.find(key);
    if (it == object_.end()) return std::nullopt;
    if (it->is_null()) return std::optional<std::string>();
    if (!it->is_string()) {
      problems_->push_back(Quoted(key) + " must be a string or null, got " + Describe(*it));
      return std::nullopt;
    }
    return std::optional<std::string>(it->get<std::string>());
  }
  std::optional<Json> Object(const char* key) {
    auto it = object_.find(key);
    if (it == object_.end()) return std::nullopt;
    if (!it->is_object()) {
      problems_->push_back(Quoted(key) + " must be a JSON object, got " + Describe(*it));
      return std::nullopt;
    }
    return *it;
  }

 private:
  const Json& object_;
  std::vector<std::string>* problems_;
};

void CheckLength(const std::optional<std::string>& value, const char* key,
                 std::vector<std::string>* problems) {
  if (value && value->size() > kMaxShortText) {
    problems->push_back(Quoted(key) + " is longer than " + std::to_string(kMaxShortText) +
                        " bytes");
  }
}

// Credentials object `auth.<kind>` with two required string members.
void CheckCredentials(const Json& auth, const char* kind, const char* first, const char* second,
                      bool required, std::vector<std::string>* problems) {
  std::string where = std::string("auth.") + kind;
  auto it = auth.find(kind);
  if (it == auth.end()) {
    if (required) {
      problems->push_back(Quoted(where) + " is required when auth.type is \"" + kind +
                          "\" (an object with " + Quoted(first) + " and " + Quoted(second) + ")");
    }
    return;
  }
  if (!it->is_object()) {
    problems->push_back(Quoted(where) + " must be a JSON object, got " + Describe(*it));
    return;
  }
  for (const char* member : {first, second}) {
    auto m = it->find(member);
    std::string name = where + "." + member;
    if (m == it->end()) {
      problems->push_back(Quoted(name) + " is required");
    } else if (!m->is_string()) {
      problems->push_back(Quoted(name) + " must be a string, got " + Describe(*m));
    }
  }
}

void CollectAuthProblems(const Json& auth, std::vector<std::string>* problems) {
  if (!auth.is_object()) {
    problems->push_back("'auth' must be a JSON object, got " + Describe(auth));
    return;
  }
  if (auth.empty()) return;  // no authentication, as the stored default
  auto type = auth.find("type");
  std::string kind;
  if (type == auth.end()) {
    problems->push_back("'auth.type' is required (\"basic\" or \"header\")");
  } else if (!type->is_string()) {
    problems->push_back("'auth.type' must be \"basic\" or \"header\", got " + Describe(*type));
  } else {
    kind = type->get<std::string>();
    if (kind != "basic" && kind != "header") {
      problems->push_back("'auth.type' must be \"basic\" or \"header\", got " + type->dump());
    }
  }
  CheckCredentials(auth, "basic", "username", "password", kind == "basic", problems);
  CheckCredentials(auth, "header", "type", "credentials", kind == "header", problems);
}

bool IsSchemeOk(std::string_view scheme) {
  std::string lower;
  for (char c : scheme) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower == "http" || lower == "https";
}

}  // namespace

Status CheckTargetUrl(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError("'target_url' must be an absolute http:// or https:// URL (" +
                                std::string(why) + "), got " + Quoted(url));
  };
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad("it contains whitespace or control characters");
  }
  auto sep = url.find("://");
  if (sep == std::string_view::npos || !IsSchemeOk(url.substr(0, sep))) {
    return bad("the scheme must be http or https");
  }
  std::string_view rest = url.substr(sep + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with("[")) {  // IPv6 literal
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("the IPv6 host is missing its ']'");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("unexpected characters after the host");
      port = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("the host is missing");
  if (!port.empty() || authority.ends_with(":")) {
    if (port.empty() || port.size() > 5) return bad("the port must be a number from 1 to 65535");
    int value = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) {
        return bad("the port must be a number from 1 to 65535");
      }
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return bad("the port must be a number from 1 to 65535");
  }
  return OkStatus();
}

Status CheckAuth(const Json& auth) {
  std::vector<std::string> problems;
  CollectAuthProblems(auth, &problems);
  if (problems.empty()) return OkStatus();
  return InvalidArgumentError(Join(problems));
}

Result<SubscriptionPatch> ParseSubscriptionBody(std::string_view body, BodyKind kind) {
  if (body.empty()) {
    return InvalidArgumentError("the request body is empty; expected a JSON object");
  }
  auto parsed = ParseJson(body);
  if (!parsed.ok()) return InvalidArgumentError("request body: " + parsed.status().message());
  const Json& doc = *parsed;
  if (!doc.is_object()) {
    return InvalidArgumentError("the request body must be a JSON object, got " + Describe(doc));
  }

  std::vector<std::string> problems;
  Reader read(doc, &problems);
  SubscriptionPatch patch;
  patch.name = read.String("name");
  patch.jsonpath = read.String("jsonpath");
  patch.target_url = read.String("target_url");
  patch.version = read.String("version");
  patch.user = read.String("user");
  patch.uuid = read.String("uuid");
  patch.extensions = read.Object("extensions");
  patch.error = read.StringOrNull("error");
  // Server-managed timestamps: type-checked as the original's schema did, then ignored.
  (void)read.String("created");
  (void)read.String("updated");
  (void)read.StringOrNull("deleted");

  if (auto disabled = read.StringOrNull("disabled")) {
    if (!disabled->has_value()) {
      patch.disabled = std::optional<Timestamp>();
    } else if (auto t = ParseTimestamp(**disabled); t.ok()) {
      patch.disabled = std::optional<Timestamp>(*t);
    } else {
      problems.push_back("'disabled' must be a timestamp like \"2024-01-31T12:00:00.000000\" or "
                         "null, got " + Quoted(**disabled));
    }
  }
  if (doc.contains("auth")) {
    const Json& auth = doc["auth"];
    size_t before = problems.size();
    CollectAuthProblems(auth, &problems);
    if (problems.size() == before) patch.auth = auth;
  }

  if (kind == BodyKind::kCreate) {
    std::vector<std::string> missing;
    for (const char* key : {"name", "jsonpath", "target_url"}) {
      if (!doc.contains(key)) missing.push_back(Quoted(key));
    }
    if (!missing.empty()) {
      std::string list;
      for (size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + missing[i];
      problems.insert(problems.begin(), std::string("missing required field") +
                                            (missing.size() > 1 ? "s " : " ") + list);
    }
  }
  CheckLength(patch.name, "name", &problems);
  CheckLength(patch.version, "version", &problems);
  if (patch.jsonpath) {
    auto compiled = jsonpath::Parse(*patch.jsonpath);
    if (!compiled.ok()) {
      problems.push_back("'jsonpath' does not parse: " + compiled.status().message());
    }
  }
  if (patch.target_url) {
    if (Status s = CheckTargetUrl(*patch.target_url); !s.ok()) problems.push_back(s.message());
  }
  if (!problems.empty()) return InvalidArgumentError(Join(problems));
  return patch;
}

}  // namespace pn::api
