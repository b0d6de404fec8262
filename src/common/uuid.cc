#include "common/uuid.h"

#include <cctype>

namespace pn {

Result<std::string> CanonicalUuid(std::string_view text) {
  std::string_view s = text;
  auto strip_prefix = [&s](std::string_view p) {
    if (s.size() >= p.size()) {
      bool eq = true;
      for (size_t i = 0; i < p.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) eq = false;
      }
      if (eq) s.remove_prefix(p.size());
    }
  };
  strip_prefix("urn:");
  strip_prefix("uuid:");
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
  std::string hex;
  hex.reserve(32);
  for (char c : s) {
    if (c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) hex.push_back('!');
    else hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (hex.size() != 32 || hex.find('!') != std::string::npos) {
    return InvalidArgumentError("'" + std::string(text) +
                                "' is not a valid UUID (expected 32 hexadecimal digits)");
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string UuidHex(std::string_view canonical) {
  std::string out;
  out.reserve(32);
  for (char c : canonical) {
    if (c != '-') out.push_back(c);
  }
  return out;
}

std::string NewUuid4(RandomSource& random) {
  static const char* kHex = "0123456789abcdef";
  uint64_t hi = random.NextU64(), lo = random.NextU64();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const uint64_t word = i < 8 ? hi : lo;
    const unsigned byte = (word >> (8 * (7 - (i % 8)))) & 0xff;
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
  }
  return out;
}

}  // namespace pn
