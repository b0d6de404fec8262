// The indices jsonpath2's slice `[start:end:step]` visits on an array (spec §5.4): Python
// range() from the adjusted bounds, each index then going through the index rule, so indices
// can wrap around. Only the indices that can hit the array are generated, so huge bounds cost
// nothing. Internal. Thread-safety: pure function.
#pragma once

#include <cstdint>

#include "jsonpath/ast.h"
#include "jsonpath/function_ref.h"

namespace pn::jsonpath::internal {

// Calls visit(k) for each index k the slice selects on an array of `length` elements, in order;
// k is what the normalized path shows (negative when it wrapped), the element is k (k >= 0) or
// length + k. Stops when visit returns true and returns true then. The caller has already
// rejected a zero step.
bool ForEachSliceIndex(const Selector& slice, int64_t length, FunctionRef<bool(int64_t)> visit);

// True when the slice's step is given and is zero (an evaluation error on arrays).
bool SliceStepIsZero(const Selector& slice);

}  // namespace pn::jsonpath::internal
