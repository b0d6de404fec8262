// The JSON value type used everywhere, and adapters that behave like Python's json module where
// the original's users can see the difference.
// - Member order is kept (ordered_json); duplicate keys: last value wins, first position kept.
// - Integers, unsigned integers and floats stay distinct (1 vs 1.0), as jsonpath2 needs.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace pn {

using Json = nlohmann::ordered_json;

// Deepest nesting of arrays/objects ParseJson accepts (Python's json.loads stops near 1000).
inline constexpr int kMaxJsonDepth = 1000;

// Strict JSON (RFC 8259) with valid UTF-8; InvalidArgument with position on failure.
Result<Json> ParseJson(std::string_view text);

// Like Python json.dumps(v): ", " and ": " separators, non-ASCII escaped as \uXXXX (lower-case
// hex, surrogate pairs above U+FFFF), floats keep a ".0", NaN/Infinity spelled as Python does.
std::string DumpPython(const Json& value);
void DumpPython(const Json& value, std::string* out);

// Compact UTF-8 output (nlohmann's dump()).
std::string DumpCompact(const Json& value);

// Python-style JSON string literal of s (with quotes), ensure_ascii=True.
void AppendPythonJsonString(std::string_view s, std::string* out);

}  // namespace pn
