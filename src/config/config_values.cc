#include "config/config_values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace pn::config_values {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Quoted(std::string_view s) {
  std::string q;
  q.reserve(s.size() + 2);
  q.append("'").append(s).append("'");
  return q;
}

std::string FormatNumber(double v) {
  std::string s = std::to_string(v);
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
    const bool dot = s.back() == '.';
    s.pop_back();
    if (dot) break;
  }
  return s;
}

}  // namespace

Parsed<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  std::string_view t = Trim(text);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) {
    return Quoted(text) + " is not a whole number";
  }
  if (value < min || value > max) {
    return Quoted(text) + " is out of range (" + std::to_string(min) + " to " +
           std::to_string(max) + ")";
  }
  return value;
}

Parsed<double> ParseNumber(std::string_view text, double min, double max) {
  std::string_view t = Trim(text);
  double value = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(value)) {
    return Quoted(text) + " is not a number";
  }
  if (value < min || value > max) {
    return Quoted(text) + " is out of range (" + FormatNumber(min) + " to " + FormatNumber(max) +
           ")";
  }
  return value;
}

Parsed<Duration> ParseSeconds(std::string_view text, double min_seconds) {
  // Ten years is far beyond any sensible timeout or delay and keeps the arithmetic safe.
  constexpr double kMaxSeconds = 10.0 * 365 * 24 * 3600;
  auto n = ParseNumber(text, min_seconds, kMaxSeconds);
  if (auto* err = std::get_if<std::string>(&n)) return *err + " (seconds)";
  const double seconds = std::get<double>(n);
  return Duration(static_cast<int64_t>(std::llround(seconds * 1e6)));
}

Parsed<bool> ParseBool(std::string_view text) {
  std::string t(Trim(text));
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (t == "1" || t == "yes" || t == "true" || t == "on") return true;
  if (t == "0" || t == "no" || t == "false" || t == "off") return false;
  return Quoted(text) + " is not a boolean (expected true/false, yes/no, on/off or 1/0)";
}

Parsed<std::vector<Duration>> ParseSchedule(std::string_view text) {
  std::vector<Duration> out;
  if (Trim(text).empty()) return out;
  size_t pos = 0;
  int index = 1;
  while (true) {
    size_t comma = text.find(',', pos);
    std::string_view item = text.substr(pos, comma == std::string_view::npos ? text.npos
                                                                              : comma - pos);
    auto d = ParseSeconds(item, 0);
    if (auto* err = std::get_if<std::string>(&d)) {
      return "item " + std::to_string(index) + " of " + Quoted(Trim(text)) + ": " + *err;
    }
    out.push_back(std::get<Duration>(d));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
    ++index;
  }
  return out;
}

std::optional<std::string> CheckHttpUrl(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string lower(text.substr(0, std::min<size_t>(text.size(), 8)));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t host_start = 0;
  if (lower.rfind("http://", 0) == 0) host_start = 7;
  else if (lower.rfind("https://", 0) == 0) host_start = 8;
  else return Quoted(text) + " is not an absolute http:// or https:// URL";
  std::string_view host = text.substr(host_start);
  host = host.substr(0, host.find_first_of("/?#"));
  if (host.empty() || host.front() == ':') return Quoted(text) + " has no host";
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) return Quoted(text) + " contains a space";
  }
  return std::nullopt;
}

std::string StripPythonLiteral(std::string_view text) {
  std::string_view t = Trim(text);
  if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"') && t.back() == t.front()) {
    return std::string(t.substr(1, t.size() - 2));
  }
  if (t == "None") return "";
  return std::string(t);
}

}  // namespace pn::config_values
