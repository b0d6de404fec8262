#include "common/time_format.h"

#include <time.h>

#include <cstdio>
#include <ctime>

namespace pn {
namespace {

std::string Format(Timestamp t, char separator) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> hms{t - day};
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u%c%02d:%02d:%02d", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()), separator,
                        int(hms.hours().count()), int(hms.minutes().count()),
                        int(hms.seconds().count()));
  const auto micros = hms.subseconds().count();
  if (micros != 0) {
    std::snprintf(buf + n, sizeof buf - n, ".%06lld", static_cast<long long>(micros));
  }
  return buf;
}

bool ReadDigits(std::string_view s, size_t pos, size_t count, int* out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatIsoTimestamp(Timestamp t) { return Format(t, 'T'); }
std::string FormatStorageTimestamp(Timestamp t) { return Format(t, ' '); }

Result<Timestamp> ParseTimestamp(std::string_view s) {
  using namespace std::chrono;
  auto bad = [&] {
    return InvalidArgumentError("'" + std::string(s) +
                                "' is not a timestamp of the form YYYY-MM-DD HH:MM:SS[.ffffff]");
  };
  int y, mo, d, h, mi, se;
  if (!ReadDigits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !ReadDigits(s, 5, 2, &mo) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
      !ReadDigits(s, 11, 2, &h) || s[13] != ':' || !ReadDigits(s, 14, 2, &mi) || s[16] != ':' ||
      !ReadDigits(s, 17, 2, &se)) {
    return bad();
  }
  size_t pos = 19;
  long long micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return bad();
    for (; digits < 6; ++digits) micros *= 10;
  }
  std::string_view rest = s.substr(pos);
  if (!rest.empty() && rest != "Z" && rest != "+00:00") return bad();
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return bad();
  return Timestamp{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{se} + microseconds{micros};
}

Result<Timestamp> ParseTimestampWithFormat(std::string_view text, const std::string& format) {
  std::tm tm{};
  std::string input(text);
  const char* end = strptime(input.c_str(), format.c_str(), &tm);
  if (end == nullptr || *end != '\0') {
    return InvalidArgumentError("'" + input + "' does not match the date format '" + format + "'");
  }
  const time_t secs = timegm(&tm);
  return Timestamp{std::chrono::seconds{secs}};
}

}  // namespace pn
