// The evaluator: walks the compiled form over a document in the dialect's result order, calling a
// sink for every result (spec §5, §6). Continuations are passed by reference, document nodes by
// pointer, so a walk allocates nothing unless a function builds a new value. Internal.
// Thread-safety: a Context belongs to one evaluation; the compiled form and the document are only
// read.
#pragma once

#include <string>

#include "common/status.h"
#include "json/json.h"
#include "jsonpath/ast.h"
#include "jsonpath/function_ref.h"

namespace pn::jsonpath::internal {

struct Context {
  const Json* root = nullptr;
  bool failed = false;  // an evaluation error stopped the walk; `error` says which
  Status error;

  void Fail(const std::string& message) {
    failed = true;
    error = InvalidArgumentError("jsonpath evaluation error: " + message);
  }
};

// Receives one result; returns true to stop the walk.
using Sink = FunctionRef<bool(const Json&)>;

// Applies segments [segment, end) of `path` to `value`. When `normalized` is non-null it holds
// the normalized path of `value` and is extended for each result while the sink runs. Returns
// true when the sink stopped the walk or an error occurred (ctx.failed).
bool Walk(const PathExpr& path, size_t segment, const Json& value, Context& ctx,
          std::string* normalized, Sink sink);

// The value a singular path (PathExpr::singular) selects from `start`, or null.
const Json* ResolveSingular(const PathExpr& path, const Json& start);

// Filter expression truth with @ = current (spec §5.10). Check ctx.failed afterwards.
bool EvalExpr(const Expr& expr, const Json& current, Context& ctx);

}  // namespace pn::jsonpath::internal
