// Python semantics of the values jsonpath2 compares (spec §5.10, §7): == with true == 1 and exact
// int/float comparison, ordering on numbers only, `in`, truthiness, json.dumps rendering, and
// integer literals of any size. Internal to src/jsonpath.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "json/json.h"
#include "jsonpath/ast.h"

namespace pn::jsonpath::internal {

// Integer literals that fit neither int64 nor uint64 are kept exactly as a Json binary value
// holding their decimal text (a JSON document never produces binary values).
Json MakeBigInt(std::string_view decimal);
bool IsBigInt(const Json& value);
std::string_view BigIntText(const Json& value);

// The Json for an integer literal: int64, else uint64, else a big int.
Json IntLiteralJson(const IntLiteral& literal);

// Python `a == b` for the objects json.loads would produce.
bool PyEqual(const Json& a, const Json& b);

// Python `a < b` etc. as jsonpath2 guards it: false unless both are numbers (bools count).
// `op` is one of kLt, kLe, kGt, kGe.
bool PyOrdered(CompareOp op, const Json& a, const Json& b);

// Python `item in container`; an InvalidArgument status where Python raises TypeError.
Status PyContains(const Json& container, const Json& item, bool* result);

// Python bool(value).
bool PyTruthy(const Json& value);

// Python type name ("int", "str", "list", "dict", "NoneType", ...), for error messages.
std::string_view PyTypeName(const Json& value);

// If value is a Python int (bools included), sets *out to it saturated to the int64 range and
// returns true. Saturation is harmless where it is used: the callers clamp to a string length.
bool PyIntSaturated(const Json& value, int64_t* out);

// json.dumps(value) with Python's separators, including big ints.
void AppendPyLiteral(const Json& value, std::string* out);

// Unicode code points in valid UTF-8 text.
size_t CodePointCount(std::string_view text);
// Byte offset of code point `index` (0 <= index <= CodePointCount(text)).
size_t CodePointOffset(std::string_view text, size_t index);

}  // namespace pn::jsonpath::internal

namespace pn::jsonpath::internal {

// The value of member `name` of `object` (which must be an object), or null. Linear, as the
// object keeps document order.
inline const Json* FindMember(const Json& object, const std::string& name) {
  for (const auto& member : object.get_ref<const Json::object_t&>()) {
    if (member.first == name) return &member.second;
  }
  return nullptr;
}

// The index rule (spec §5.3): the element position `index` selects in an array of `length`
// elements (negative counts from the end), or -1 when it selects nothing.
inline int64_t ResolveIndex(int64_t index, size_t length) {
  const auto n = static_cast<int64_t>(length);
  if (index < 0) index += n;
  return index >= 0 && index < n ? index : -1;
}

}  // namespace pn::jsonpath::internal
