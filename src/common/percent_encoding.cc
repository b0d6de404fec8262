#include "common/percent_encoding.h"

namespace pn {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte an escape at text[i] stands for, or -1 when text[i] does not start a valid escape.
int EscapeAt(std::string_view text, size_t i) {
  if (text[i] != '%' || i + 2 >= text.size()) return -1;
  const int hi = HexValue(text[i + 1]);
  const int lo = HexValue(text[i + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int byte = EscapeAt(text, i);
    if (byte < 0) {
      return InvalidArgumentError("'%' at offset " + std::to_string(i) +
                                  " is not followed by two hex digits");
    }
    out.push_back(static_cast<char>(byte));
    i += 2;
  }
  return out;
}

std::string PercentDecodeLenient(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const int byte = text[i] == '%' ? EscapeAt(text, i) : -1;
    if (byte >= 0) {
      out.push_back(static_cast<char>(byte));
      i += 2;
    } else if (plus_as_space && text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace pn
