#include "jsonpath/slice.h"

// GCC 12 reports false -Warray-bounds / -Wstringop-overread inside cpp_int's inlined copy code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#include <boost/multiprecision/cpp_int.hpp>

namespace pn::jsonpath::internal {

namespace {

using BigInt = boost::multiprecision::cpp_int;

template <typename T>
T ToInteger(const IntLiteral& literal);

template <>
__int128 ToInteger<__int128>(const IntLiteral& literal) {
  return literal.value;
}

template <>
BigInt ToInteger<BigInt>(const IntLiteral& literal) {
  return literal.fits ? BigInt(literal.value) : BigInt(literal.text);
}

// T is wide enough for every intermediate value: __int128 when all bounds fit in int64 (sums
// of two int64 and a length), an arbitrary-precision integer otherwise.
template <typename T>
bool Visit(const Selector& s, int64_t length, FunctionRef<bool(int64_t)> visit) {
  const T n = length;
  // 1. start: omitted -> 0; negative -> start + n if that is >= 0, else 0 (clamped, #31).
  T start = s.slice().start ? ToInteger<T>(*s.slice().start) : T(0);
  if (start < 0) start = T(-start) < n ? T(start + n) : T(0);
  // 2. end: omitted -> n; negative -> end + n, NOT clamped (indices may wrap, QUIRK).
  T end = s.slice().end ? ToInteger<T>(*s.slice().end) : n;
  if (end < 0) end += n;
  // 3. step: omitted -> 1.
  const T step = s.slice().step ? ToInteger<T>(*s.slice().step) : T(1);
  if (step > 0) {
    // start >= 0, so every k below min(end, n) is a direct hit and nothing else can hit.
    const T limit = end < n ? T(end) : T(n);
    for (T k = start; k < limit; k += step) {
      if (visit(static_cast<int64_t>(k))) return true;
    }
    return false;
  }
  // Descending: k runs from start down to end (exclusive). Indices >= n miss, so jump to the
  // first k < n in start's residue class; below -n everything misses too.
  const T magnitude = T(-step);
  T k = start;
  if (k >= n) {
    const T overshoot = T(start - (n - 1));
    const T remainder = T(overshoot % magnitude);
    k = remainder == 0 ? T(n - 1) : T(n - 1 - magnitude + remainder);
  }
  const T floor = end > T(-n - 1) ? T(end) : T(-n - 1);
  for (; k > floor; k -= magnitude) {
    if (visit(static_cast<int64_t>(k))) return true;
  }
  return false;
}

bool Fits(const std::optional<IntLiteral>& literal) { return !literal || literal->fits; }

}  // namespace

bool SliceStepIsZero(const Selector& slice) {
  const auto& step = slice.slice().step;
  return step && step->fits && step->value == 0;
}

bool ForEachSliceIndex(const Selector& slice, int64_t length, FunctionRef<bool(int64_t)> visit) {
  const SliceBounds& b = slice.slice();
  if (Fits(b.start) && Fits(b.end) && Fits(b.step)) {
    return Visit<__int128>(slice, length, visit);
  }
  return Visit<BigInt>(slice, length, visit);
}

}  // namespace pn::jsonpath::internal

#pragma GCC diagnostic pop
