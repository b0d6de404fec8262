#include "jsonpath/values.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

namespace pn::jsonpath::internal {

namespace {

// A Python number: an exact integer (sign and 64-bit magnitude), a float, or an integer whose
// magnitude needs more than 64 bits (kept as decimal digits).
struct Num {
  enum Kind { kInt, kFloat, kBig } kind = kInt;
  bool negative = false;
  uint64_t magnitude = 0;
  double d = 0;
  std::string_view digits;  // kBig: magnitude, no sign, no leading zeros
};

bool ParseMagnitude(std::string_view digits, uint64_t* out) {
  uint64_t v = 0;
  for (char c : digits) {
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *out = v;
  return true;
}

bool ToNum(const Json& j, Num* n) {
  switch (j.type()) {
    case Json::value_t::boolean:
      n->kind = Num::kInt;
      n->magnitude = j.get<bool>() ? 1 : 0;
      return true;
    case Json::value_t::number_integer: {
      const int64_t v = j.get<int64_t>();
      n->kind = Num::kInt;
      n->negative = v < 0;
      n->magnitude = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
      return true;
    }
    case Json::value_t::number_unsigned:
      n->kind = Num::kInt;
      n->magnitude = j.get<uint64_t>();
      return true;
    case Json::value_t::number_float:
      n->kind = Num::kFloat;
      n->d = j.get<double>();
      return true;
    case Json::value_t::binary: {
      std::string_view text = BigIntText(j);
      n->negative = !text.empty() && text[0] == '-';
      if (n->negative) text.remove_prefix(1);
      if (ParseMagnitude(text, &n->magnitude)) {
        n->kind = Num::kInt;
        n->negative = n->negative && n->magnitude != 0;
      } else {
        n->kind = Num::kBig;
        n->digits = text;
      }
      return true;
    }
    default:
      return false;
  }
}

constexpr int kUnordered = 2;

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

int CompareMagnitudeDigits(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

// Compares two non-negative magnitudes where `a` is an exact integer and `d` a finite double.
int CompareIntMagnitudeWithDouble(uint64_t a, double d) {
  if (d >= 18446744073709551616.0) return -1;  // 2^64
  const auto whole = static_cast<uint64_t>(d);
  if (a != whole) return a < whole ? -1 : 1;
  return d - static_cast<double>(whole) > 0 ? -1 : 0;
}

int CompareIntWithDouble(bool negative, uint64_t magnitude, double d) {
  if (std::isnan(d)) return kUnordered;
  const int int_sign = magnitude == 0 ? 0 : (negative ? -1 : 1);
  const int double_sign = d > 0 ? 1 : (d < 0 ? -1 : 0);
  if (int_sign != double_sign) return int_sign < double_sign ? -1 : 1;
  if (int_sign == 0) return 0;
  if (std::isinf(d)) return d > 0 ? -1 : 1;
  const int c = CompareIntMagnitudeWithDouble(magnitude, std::fabs(d));
  return negative ? -c : c;
}

int CompareBigWithDouble(const Num& big, double d) {
  if (std::isnan(d)) return kUnordered;
  if (std::isinf(d)) return d > 0 ? -1 : 1;
  const int big_sign = big.negative ? -1 : 1;
  const int double_sign = d > 0 ? 1 : (d < 0 ? -1 : 0);
  if (big_sign != double_sign) return big_sign < double_sign ? -1 : 1;
  const double ad = std::fabs(d);
  int c;
  if (ad < 18446744073709551616.0) {
    c = 1;  // a big int's magnitude is at least 2^64
  } else {
    // Doubles this large are integers; glibc prints them exactly.
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", ad);
    c = CompareMagnitudeDigits(big.digits, buf);
  }
  return big.negative ? -c : c;
}

// -1, 0, 1, or kUnordered (NaN involved).
int CompareNum(const Num& a, const Num& b) {
  if (a.kind == Num::kFloat && b.kind == Num::kFloat) {
    if (std::isnan(a.d) || std::isnan(b.d)) return kUnordered;
    return a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
  }
  if (b.kind == Num::kFloat) {
    return a.kind == Num::kInt ? CompareIntWithDouble(a.negative, a.magnitude, b.d)
                               : CompareBigWithDouble(a, b.d);
  }
  if (a.kind == Num::kFloat) {
    const int c = CompareNum(b, a);
    return c == kUnordered ? c : -c;
  }
  const int sign_a = a.kind == Num::kInt && a.magnitude == 0 ? 0 : (a.negative ? -1 : 1);
  const int sign_b = b.kind == Num::kInt && b.magnitude == 0 ? 0 : (b.negative ? -1 : 1);
  if (sign_a != sign_b) return sign_a < sign_b ? -1 : 1;
  int c;
  if (a.kind == Num::kInt && b.kind == Num::kInt) {
    c = a.magnitude == b.magnitude ? 0 : (a.magnitude < b.magnitude ? -1 : 1);
  } else if (a.kind == Num::kBig && b.kind == Num::kBig) {
    c = CompareMagnitudeDigits(a.digits, b.digits);
  } else {
    c = a.kind == Num::kBig ? 1 : -1;
  }
  return sign_a < 0 ? -c : c;
}

bool IsNumberLike(Json::value_t t) {
  return t == Json::value_t::boolean || t == Json::value_t::number_integer ||
         t == Json::value_t::number_unsigned || t == Json::value_t::number_float ||
         t == Json::value_t::binary;
}

bool ScalarEqual(const Json& a, const Json& b) {
  const auto ta = a.type();
  const auto tb = b.type();
  if (ta == Json::value_t::string) {
    return tb == Json::value_t::string &&
           a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  }
  if (IsNumberLike(ta)) {
    Num na, nb;
    if (!ToNum(a, &na) || !ToNum(b, &nb)) return false;
    return CompareNum(na, nb) == 0;
  }
  return ta == Json::value_t::null && tb == Json::value_t::null;
}

}  // namespace

Json MakeBigInt(std::string_view decimal) {
  return Json::binary(std::vector<std::uint8_t>(decimal.begin(), decimal.end()));
}

bool IsBigInt(const Json& value) { return value.is_binary(); }

std::string_view BigIntText(const Json& value) {
  const auto& bytes = value.get_binary();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Json IntLiteralJson(const IntLiteral& literal) {
  if (literal.fits) return Json(literal.value);
  if (literal.text[0] != '-') {
    uint64_t magnitude;
    if (ParseMagnitude(literal.text, &magnitude)) return Json(magnitude);
  }
  return MakeBigInt(literal.text);
}

bool PyEqual(const Json& a, const Json& b) {
  if (!a.is_structured() && !b.is_structured()) return ScalarEqual(a, b);
  // Containers are compared with an explicit work list so that deep documents cannot exhaust
  // the call stack.
  std::vector<std::pair<const Json*, const Json*>> work{{&a, &b}};
  while (!work.empty()) {
    auto [x, y] = work.back();
    work.pop_back();
    if (x->is_array()) {
      if (!y->is_array() || x->size() != y->size()) return false;
      for (size_t i = 0; i < x->size(); ++i) work.emplace_back(&(*x)[i], &(*y)[i]);
    } else if (x->is_object()) {
      if (!y->is_object() || x->size() != y->size()) return false;
      for (const auto& member : x->get_ref<const Json::object_t&>()) {
        const Json* other = FindMember(*y, member.first);
        if (other == nullptr) return false;
        work.emplace_back(&member.second, other);
      }
    } else if (y->is_structured() || !ScalarEqual(*x, *y)) {
      return false;
    }
  }
  return true;
}

bool PyOrdered(CompareOp op, const Json& a, const Json& b) {
  Num na, nb;
  if (!ToNum(a, &na) || !ToNum(b, &nb)) return false;
  const int c = CompareNum(na, nb);
  if (c == kUnordered) return false;
  switch (op) {
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
    default: return false;
  }
}

Status PyContains(const Json& container, const Json& item, bool* result) {
  *result = false;
  switch (container.type()) {
    case Json::value_t::string:
      if (!item.is_string()) {
        return InvalidArgumentError(std::string("'in <string>' requires string as left operand, not ") +
                                    std::string(PyTypeName(item)));
      }
      *result = container.get_ref<const std::string&>().find(item.get_ref<const std::string&>()) !=
                std::string::npos;
      return OkStatus();
    case Json::value_t::array:
      for (const auto& element : container) {
        if (PyEqual(element, item)) {
          *result = true;
          break;
        }
      }
      return OkStatus();
    case Json::value_t::object:
      if (item.is_structured()) {
        return InvalidArgumentError("unhashable type: '" + std::string(PyTypeName(item)) + "'");
      }
      *result = item.is_string() && FindMember(container, item.get_ref<const std::string&>());
      return OkStatus();
    default:
      return InvalidArgumentError("argument of type '" + std::string(PyTypeName(container)) +
                                  "' is not iterable");
  }
}

bool PyTruthy(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return value.get<bool>();
    case Json::value_t::number_integer: return value.get<int64_t>() != 0;
    case Json::value_t::number_unsigned: return value.get<uint64_t>() != 0;
    case Json::value_t::number_float: return value.get<double>() != 0.0;
    case Json::value_t::binary: return true;  // big ints are never zero
    case Json::value_t::string: return !value.get_ref<const std::string&>().empty();
    default: return !value.empty();
  }
}

std::string_view PyTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "NoneType";
    case Json::value_t::boolean: return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::binary: return "int";
    case Json::value_t::number_float: return "float";
    case Json::value_t::string: return "str";
    case Json::value_t::array: return "list";
    case Json::value_t::object: return "dict";
    default: return "object";
  }
}

bool PyIntSaturated(const Json& value, int64_t* out) {
  Num n;
  if (!ToNum(value, &n) || n.kind == Num::kFloat) return false;
  if (n.kind == Num::kBig) {
    *out = n.negative ? INT64_MIN : INT64_MAX;
  } else if (n.negative) {
    *out = n.magnitude > static_cast<uint64_t>(INT64_MAX) ? INT64_MIN
                                                          : -static_cast<int64_t>(n.magnitude);
  } else {
    *out = n.magnitude > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX
                                                          : static_cast<int64_t>(n.magnitude);
  }
  return true;
}

void AppendPyLiteral(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::value_t::binary:
      out->append(BigIntText(value));
      return;
    case Json::value_t::array: {
      out->push_back('[');
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out->append(", ");
        AppendPyLiteral(value[i], out);
      }
      out->push_back(']');
      return;
    }
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& member : value.get_ref<const Json::object_t&>()) {
        if (!first) out->append(", ");
        first = false;
        AppendPythonJsonString(member.first, out);
        out->append(": ");
        AppendPyLiteral(member.second, out);
      }
      out->push_back('}');
      return;
    }
    default:
      DumpPython(value, out);
  }
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

size_t CodePointOffset(std::string_view text, size_t index) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == index) return i;
      ++seen;
    }
  }
  return text.size();
}

}  // namespace pn::jsonpath::internal
