// The compiled (immutable) form of a jsonpath2 expression, built by the parser and walked by the
// evaluator and the renderer. Internal to src/jsonpath.
// Thread-safety: immutable after Parse(); shared freely between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "json/json.h"
#include "jsonpath/jsonpath.h"

namespace pn::jsonpath::internal {

struct Expr;
struct PathExpr;

// An integer literal from the expression text. Python ints have no size limit, so the value is
// kept as normalized decimal text too; `fits` says whether `value` holds it exactly.
struct IntLiteral {
  bool fits = true;
  int64_t value = 0;
  std::string text;  // as Python's str(int(token)) renders it ("-0" becomes "0")
};

enum class Function { kCharAt, kEntries, kKeys, kLength, kSubstring, kValues };

// A filter or function operand: a path ($... / @...) or a JSON literal. Literal strings are raw
// (escapes not decoded, spec §2); integers beyond 64 bits are big-int literals (values.h).
struct Operand {
  std::unique_ptr<PathExpr> path;  // null for a literal
  Json literal;
};

enum class SelectorKind { kMember, kIndex, kSlice, kWildcard, kFilter, kNodeSubscript, kCall };

struct SliceBounds {
  std::optional<IntLiteral> start, end, step;  // omitted bounds are empty
};

struct CallArgs {
  Function function = Function::kLength;
  std::vector<Operand> args;
};

// Compact on purpose (a server holds one parsed path per subscription): the kind and a member
// name inline, the data of the rarer kinds behind one pointer. Accessors require the kind.
struct Selector {
  SelectorKind kind = SelectorKind::kWildcard;
  std::string name;  // kMember: raw text
  std::variant<std::monostate, std::unique_ptr<IntLiteral>, std::unique_ptr<SliceBounds>,
               std::unique_ptr<Expr>, std::unique_ptr<PathExpr>, std::unique_ptr<CallArgs>>
      data;

  const IntLiteral& index() const { return *std::get<std::unique_ptr<IntLiteral>>(data); }
  const SliceBounds& slice() const { return *std::get<std::unique_ptr<SliceBounds>>(data); }
  const Expr& filter() const { return *std::get<std::unique_ptr<Expr>>(data); }
  const PathExpr& subpath() const { return *std::get<std::unique_ptr<PathExpr>>(data); }
  const CallArgs& call() const { return *std::get<std::unique_ptr<CallArgs>>(data); }
};

struct Segment {
  bool descendant = false;  // `..X`
  std::vector<Selector> selectors;
};

struct PathExpr {
  std::vector<Segment> segments;
  bool from_root = true;  // `$` (else `@`)
  // Every segment is one member or in-range-representable index selector without `..`: the
  // evaluator resolves such paths with a plain loop (the common filter operand @["x"]).
  bool singular = false;
};

enum class ExprKind { kExists, kCompare, kNot, kAnd, kOr };
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kContains };

struct Expr {
  ExprKind kind = ExprKind::kExists;
  CompareOp op = CompareOp::kEq;                 // kCompare
  Operand left, right;                           // kExists uses left only
  std::vector<std::unique_ptr<Expr>> children;   // kNot: one; kAnd / kOr: two or more
};

}  // namespace pn::jsonpath::internal

namespace pn::jsonpath {

class Path {
 public:
  internal::PathExpr root;
};

}  // namespace pn::jsonpath
