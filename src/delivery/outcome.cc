#include "delivery/outcome.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace pn::delivery {
namespace {

std::string FailureText(const outbound::OutboundResponse& r, std::string_view who) {
  if (!r.has_status()) return r.error.empty() ? "no answer from the " + std::string(who) : r.error;
  if (!r.body.empty()) return StoredText(r.body, r.body.size());
  return "the " + std::string(who) + " answered HTTP " + std::to_string(r.status) +
         " with an empty body";
}

std::optional<int> MonthIndex(std::string_view name) {
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (name == kMonths[i]) return i + 1;
  }
  return std::nullopt;
}

std::optional<Timestamp> MakeTime(int year, int month, int day, int h, int m, int s) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!ymd.ok() || h > 23 || m > 59 || s > 60 || h < 0 || m < 0 || s < 0) return std::nullopt;
  return time_point_cast<microseconds>(sys_days(ymd) + hours(h) + minutes(m) + seconds(s));
}

std::optional<Timestamp> ParseHttpDate(std::string_view value) {
  std::string v(value);
  char wday[16] = {}, mon[4] = {}, zone[4] = {};
  int day = 0, year = 0, h = 0, m = 0, s = 0, n = 0;
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (std::sscanf(v.c_str(), "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", wday, &day, mon, &year, &h, &m,
                  &s, zone, &n) == 8 &&
      static_cast<std::size_t>(n) == v.size() && std::strcmp(zone, "GMT") == 0) {
    if (auto month = MonthIndex(mon)) return MakeTime(year, *month, day, h, m, s);
  }
  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit years: 70-99 → 19xx, else 20xx)
  if (std::sscanf(v.c_str(), "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d %3s%n", wday, &day, mon, &year,
                  &h, &m, &s, zone, &n) == 8 &&
      static_cast<std::size_t>(n) == v.size() && std::strcmp(zone, "GMT") == 0) {
    if (auto month = MonthIndex(mon)) {
      return MakeTime(year >= 70 ? 1900 + year : 2000 + year, *month, day, h, m, s);
    }
  }
  // asctime: "Sun Nov  6 08:49:37 1994"
  if (std::sscanf(v.c_str(), "%3s %3s %d %2d:%2d:%2d %4d%n", wday, mon, &day, &h, &m, &s, &year,
                  &n) == 7 &&
      static_cast<std::size_t>(n) == v.size()) {
    if (auto month = MonthIndex(mon)) return MakeTime(year, *month, day, h, m, s);
  }
  return std::nullopt;
}

}  // namespace

Outcome ClassifyPolicyResponse(const outbound::OutboundResponse& r) {
  if (r.has_status() && r.status >= 200 && r.status < 300) return {Verdict::kProceed, {}, ""};
  std::string failure = FailureText(r, "policy service");
  if (r.has_status() && r.status >= 400 && r.status < 500) {
    return {Verdict::kDenied, {}, std::move(failure)};
  }
  return {Verdict::kRetry, {}, std::move(failure)};
}

Outcome ClassifyTargetResponse(const outbound::OutboundResponse& r, Timestamp now) {
  if (r.has_status() && r.status >= 200 && r.status < 300) return {Verdict::kDelivered, {}, ""};
  std::string failure = FailureText(r, "target");
  if (r.has_status() && r.status == 410) return {Verdict::kFailAndDisable, {}, std::move(failure)};
  Outcome out{Verdict::kRetry, {}, std::move(failure)};
  if (r.has_status() && (r.status == 429 || r.status == 503)) {
    if (auto header = r.Header("Retry-After")) out.retry_after = ParseRetryAfter(*header, now);
  }
  return out;
}

std::optional<Duration> ParseRetryAfter(std::string_view value, Timestamp now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range || seconds > 100LL * 365 * 24 * 3600) {
      seconds = 100LL * 365 * 24 * 3600;  // absurdly far: the cap applies anyway
    } else if (ec != std::errc() || ptr != value.data() + value.size()) {
      return std::nullopt;
    }
    return std::chrono::seconds(seconds);
  }
  std::optional<Timestamp> when = ParseHttpDate(value);
  if (!when) return std::nullopt;
  return *when > now ? *when - now : Duration(0);
}

std::string StoredText(std::string_view bytes, std::size_t limit) {
  std::string out;
  out.reserve(std::min(bytes.size(), limit));
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
    bool valid = len > 0 && i + len <= bytes.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
    }
    if (valid && len > 1) {
      // Reject overlong forms, surrogates and code points above U+10FFFF.
      uint32_t cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (bytes[i + k] & 0x3F);
      valid = !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) &&
              !(len == 4 && cp < 0x10000) && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
    }
    std::string_view piece = valid ? bytes.substr(i, len) : std::string_view("\xEF\xBF\xBD");
    if (out.size() + piece.size() > limit) break;
    out.append(piece);
    i += valid ? len : 1;
  }
  return out;
}

}  // namespace pn::delivery
