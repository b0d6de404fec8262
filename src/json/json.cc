#include "json/json.h"

#include <cmath>
#include <cstdio>

namespace pn {

Result<Json> ParseJson(std::string_view text) {
  // A UTF-8 BOM is rejected as Python's json.loads does (nlohmann would skip it silently).
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    return InvalidArgumentError("invalid JSON: unexpected byte order mark at offset 0");
  }
  Json value = Json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // Re-run with exceptions only to obtain nlohmann's positioned message; errors are rare.
    try {
      (void)Json::parse(text);
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

void AppendPythonFloat(double d, std::string* out) {
  if (std::isnan(d)) {
    out->append("NaN");
  } else if (std::isinf(d)) {
    out->append(d > 0 ? "Infinity" : "-Infinity");
  } else {
    out->append(Json(d).dump());
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
