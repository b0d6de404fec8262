// Filter expression evaluation (spec §5.10): existence and truthiness, existential comparisons
// with the library's single-use right-hand sequence, short-circuit and/or.
#include <string>

#include "jsonpath/evaluator.h"
#include "jsonpath/values.h"

namespace pn::jsonpath::internal {

namespace {

// Calls fn for each value of the operand (once for a literal). Returns true when fn stopped it
// or an error occurred.
bool ForEachValue(const Operand& operand, const Json& current, Context& ctx, Sink fn) {
  if (!operand.path) return fn(operand.literal);
  const PathExpr& path = *operand.path;
  const Json& start = path.from_root ? *ctx.root : current;
  if (path.singular) {
    const Json* v = ResolveSingular(path, start);
    return v != nullptr && fn(*v);
  }
  return Walk(path, 0, start, ctx, nullptr, fn);
}

// String = string is the common subscription test; it skips the general Python == dispatch.
inline bool Equal(const Json& left, const Json& right) {
  if (left.is_string() && right.is_string()) {
    return left.get_ref<const std::string&>() == right.get_ref<const std::string&>();
  }
  return PyEqual(left, right);
}

bool ComparePair(CompareOp op, const Json& left, const Json& right, Context& ctx) {
  switch (op) {
    case CompareOp::kEq:
      return Equal(left, right);
    case CompareOp::kNe:
      return !Equal(left, right);
    case CompareOp::kContains: {
      bool result = false;
      Status status = PyContains(left, right, &result);
      if (!status.ok()) ctx.Fail("contains: " + status.message());
      return result;
    }
    default:
      return PyOrdered(op, left, right);
  }
}

bool EvalCompare(const Expr& e, const Json& current, Context& ctx) {
  if (e.left.path && e.left.path->singular && !e.right.path) {
    // `@["key"] op literal`, the usual shape: no continuation needed.
    const PathExpr& path = *e.left.path;
    const Json* left = ResolveSingular(path, path.from_root ? *ctx.root : current);
    return left != nullptr && ComparePair(e.op, *left, e.right.literal, ctx) && !ctx.failed;
  }
  bool result = false;
  auto test = [&](const Json& left, const Json& right) {
    result = ComparePair(e.op, left, right, ctx);
    return result || ctx.failed;
  };
  if (!e.right.path) {
    ForEachValue(e.left, current, ctx, [&](const Json& left) { return test(left, e.right.literal); });
  } else if (!e.left.path) {
    ForEachValue(e.right, current, ctx, [&](const Json& right) { return test(e.left.literal, right); });
  } else {
    // Both are paths: the library iterates the right-hand generator once, inside the loop over
    // left values, so only the first left value is ever compared (QUIRK). The other left values
    // are still evaluated, which matters only for evaluation errors.
    bool first = true;
    ForEachValue(e.left, current, ctx, [&](const Json& left) {
      if (!first) return false;
      first = false;
      ForEachValue(e.right, current, ctx, [&](const Json& right) { return test(left, right); });
      return result || ctx.failed;
    });
  }
  return result && !ctx.failed;
}

}  // namespace

bool EvalExpr(const Expr& e, const Json& current, Context& ctx) {
  switch (e.kind) {
    case ExprKind::kExists: {
      if (!e.left.path) return PyTruthy(e.left.literal);
      if (e.left.path->singular) {
        const PathExpr& path = *e.left.path;
        return ResolveSingular(path, path.from_root ? *ctx.root : current) != nullptr;
      }
      bool found = false;
      ForEachValue(e.left, current, ctx, [&](const Json&) {
        found = true;
        return true;  // existence needs one result only
      });
      return found && !ctx.failed;
    }
    case ExprKind::kCompare:
      return EvalCompare(e, current, ctx);
    case ExprKind::kNot: {
      const bool inner = EvalExpr(*e.children[0], current, ctx);
      return !ctx.failed && !inner;
    }
    case ExprKind::kAnd:
      for (const auto& child : e.children) {
        if (!EvalExpr(*child, current, ctx)) return false;
      }
      return true;
    case ExprKind::kOr:
      for (const auto& child : e.children) {
        if (EvalExpr(*child, current, ctx)) return true;
        if (ctx.failed) return false;
      }
      return false;
  }
  return false;
}

}  // namespace pn::jsonpath::internal
