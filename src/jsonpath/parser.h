// Recursive-descent parser from tokens to the compiled form (spec §3, §4), with a nesting limit so
// that hostile expressions end in a clean error instead of a stack overflow. Internal.
// Thread-safety: pure function.
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "jsonpath/ast.h"

namespace pn::jsonpath::internal {

// Nesting units (segments on the current chain, filters, parentheses, `not`, literals, calls)
// an expression may stack up. The Python library dies of RecursionError well before this. Each
// unit costs several recursive frames, so the bound also keeps parsing inside a small thread
// stack (1000 overflowed the stack under AddressSanitizer, whose frames are larger).
inline constexpr int kMaxNesting = 256;

Result<std::unique_ptr<Path>> ParseExpression(std::string_view text);

}  // namespace pn::jsonpath::internal
