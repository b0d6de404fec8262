// The dialect's callables (spec §5.8): length, keys, values, entries, charAt, substring. Each call
// yields zero or one value; a wrong receiver, argument count or argument type yields nothing.
// Internal. Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "json/json.h"
#include "jsonpath/ast.h"

namespace pn::jsonpath::internal {

std::string_view FunctionName(Function function);

// Calls `function` on `receiver` with evaluated arguments; true and *result set when it yields.
bool CallFunction(Function function, const Json& receiver, const std::vector<const Json*>& args,
                  Json* result);

}  // namespace pn::jsonpath::internal
