#include "json/json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>

namespace pn {

namespace {

// Python's json.loads gives up at about 1000 levels (RecursionError); nlohmann would recurse
// without bound while copying deep values, so anything deeper is refused before parsing.
bool NestingExceeds(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace

Result<Json> ParseJson(std::string_view text) {
  if (NestingExceeds(text, kMaxJsonDepth)) {
    return InvalidArgumentError("invalid JSON: nested deeper than " +
                                std::to_string(kMaxJsonDepth) + " levels");
  }
  // A UTF-8 BOM is rejected as Python's json.loads does (nlohmann would skip it silently).
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    return InvalidArgumentError("invalid JSON: unexpected byte order mark at offset 0");
  }
  Json value = Json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // Re-run with exceptions only to obtain nlohmann's positioned message; errors are rare.
    try {
      Json ignored = Json::parse(text);
      (void)ignored;
    } catch (const Json::parse_error& e) {
      std::string what = e.what();
      // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> drop the tag.
      auto pos = what.find("] ");
      return InvalidArgumentError("invalid JSON: " +
                                  (pos == std::string::npos ? what : what.substr(pos + 2)));
    } catch (const std::exception& e) {
      return InvalidArgumentError(std::string("invalid JSON: ") + e.what());
    }
    return InvalidArgumentError("invalid JSON");
  }
  return value;
}

namespace {

// Decodes one UTF-8 sequence starting at s[i]; input is already validated by the parser.
uint32_t DecodeUtf8(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : 4;
  uint32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < len && *i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

void AppendU16Escape(uint32_t unit, std::string* out) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", unit);
  out->append(buf);
}

// Python's repr(float): the shortest digits that round-trip, in fixed notation when the decimal
// exponent is in [-4, 16), otherwise d.ddde+XX; fixed notation always shows a fractional part.
void AppendPythonFiniteFloat(double d, std::string* out) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  (void)ec;  // 64 bytes always suffice for a double
  std::string_view sci(buf, static_cast<size_t>(end - buf));
  bool negative = !sci.empty() && sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int decpt = exponent + 1;  // value = 0.DIGITS x 10^decpt
  const int n = static_cast<int>(digits.size());
  if (negative) out->push_back('-');
  if (decpt <= -4 || decpt > 16) {
    out->push_back(digits[0]);
    if (n > 1) {
      out->push_back('.');
      out->append(digits, 1);
    }
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out->append(exp_buf);
  } else if (decpt <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-decpt), '0');
    out->append(digits);
  } else if (decpt >= n) {
    out->append(digits);
    out->append(static_cast<size_t>(decpt - n), '0');
    out->append(".0");
  } else {
    out->append(digits, 0, static_cast<size_t>(decpt));
    out->push_back('.');
    out->append(digits, static_cast<size_t>(decpt));
  }
}

void AppendPythonFloat(double d, std::string* out) {
  if (std::isnan(d)) {
    out->append("NaN");
  } else if (std::isinf(d)) {
    out->append(d > 0 ? "Infinity" : "-Infinity");
  } else {
    AppendPythonFiniteFloat(d, out);
  }
}

}  // namespace

void AppendPythonJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        case '\b': out->append("\\b"); break;
        case '\f': out->append("\\f"); break;
        default:
          if (c < 0x20 || c == 0x7F) AppendU16Escape(c, out);
          else out->push_back(static_cast<char>(c));
      }
      continue;
    }
    uint32_t cp = DecodeUtf8(s, &i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      AppendU16Escape(0xD800 + (cp >> 10), out);
      AppendU16Escape(0xDC00 + (cp & 0x3FF), out);
    } else {
      AppendU16Escape(cp, out);
    }
  }
  out->push_back('"');
}

void DumpPython(const Json& v, std::string* out) {
  switch (v.type()) {
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, member] : v.items()) {
        if (!first) out->append(", ");
        first = false;
        AppendPythonJsonString(key, out);
        out->append(": ");
        DumpPython(member, out);
      }
      out->push_back('}');
      return;
    }
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& element : v) {
        if (!first) out->append(", ");
        first = false;
        DumpPython(element, out);
      }
      out->push_back(']');
      return;
    }
    case Json::value_t::string:
      AppendPythonJsonString(v.get_ref<const std::string&>(), out);
      return;
    case Json::value_t::number_float:
      AppendPythonFloat(v.get<double>(), out);
      return;
    default:
      out->append(v.dump());
      return;
  }
}

std::string DumpPython(const Json& value) {
  std::string out;
  DumpPython(value, &out);
  return out;
}

std::string DumpCompact(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pn
