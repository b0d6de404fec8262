// str(Path) as the Python library renders it (spec §10): bracket form everywhere, literals via
// json.dumps, flattened and/or chains with nested chains parenthesized.
#include <string>

#include "jsonpath/ast.h"
#include "jsonpath/functions.h"
#include "jsonpath/jsonpath.h"
#include "jsonpath/values.h"

namespace pn::jsonpath {

namespace {

using internal::CompareOp;
using internal::Expr;
using internal::ExprKind;
using internal::Operand;
using internal::PathExpr;
using internal::Selector;
using internal::SelectorKind;

void RenderPath(const PathExpr& path, std::string* out);
void RenderExpr(const Expr& expr, std::string* out);

void RenderOperand(const Operand& operand, std::string* out) {
  if (operand.path) {
    RenderPath(*operand.path, out);
  } else {
    internal::AppendPyLiteral(operand.literal, out);
  }
}

std::string_view OperatorText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
    case CompareOp::kContains: return "contains";
  }
  return "?";
}

bool IsChain(const Expr& e) { return e.kind == ExprKind::kAnd || e.kind == ExprKind::kOr; }

void RenderExpr(const Expr& e, std::string* out) {
  switch (e.kind) {
    case ExprKind::kExists:
      RenderOperand(e.left, out);
      return;
    case ExprKind::kCompare:
      RenderOperand(e.left, out);
      out->append(" ").append(OperatorText(e.op)).append(" ");
      RenderOperand(e.right, out);
      return;
    case ExprKind::kNot: {
      const Expr& inner = *e.children[0];
      const bool parens = IsChain(inner) || inner.kind == ExprKind::kNot;
      out->append(parens ? "not (" : "not ");
      RenderExpr(inner, out);
      if (parens) out->push_back(')');
      return;
    }
    case ExprKind::kAnd:
    case ExprKind::kOr:
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) out->append(e.kind == ExprKind::kAnd ? " and " : " or ");
        const bool parens = IsChain(*e.children[i]);
        if (parens) out->push_back('(');
        RenderExpr(*e.children[i], out);
        if (parens) out->push_back(')');
      }
      return;
  }
}

void RenderSelector(const Selector& s, std::string* out) {
  switch (s.kind) {
    case SelectorKind::kMember:
      AppendPythonJsonString(s.name, out);
      return;
    case SelectorKind::kIndex:
      out->append(s.index().text);
      return;
    case SelectorKind::kSlice:
      if (s.slice().start) out->append(s.slice().start->text);
      out->push_back(':');
      if (s.slice().end) out->append(s.slice().end->text);
      if (s.slice().step) out->append(":").append(s.slice().step->text);
      return;
    case SelectorKind::kWildcard:
      out->push_back('*');
      return;
    case SelectorKind::kFilter:
      out->append("?(");
      RenderExpr(s.filter(), out);
      out->push_back(')');
      return;
    case SelectorKind::kNodeSubscript:
      RenderPath(s.subpath(), out);
      return;
    case SelectorKind::kCall:
      out->append(internal::FunctionName(s.call().function)).append("(");
      for (size_t i = 0; i < s.call().args.size(); ++i) {
        if (i > 0) out->push_back(',');
        RenderOperand(s.call().args[i], out);
      }
      out->push_back(')');
      return;
  }
}

void RenderPath(const PathExpr& path, std::string* out) {
  out->push_back(path.from_root ? '$' : '@');
  for (const auto& segment : path.segments) {
    if (segment.descendant) out->append("..");
    out->push_back('[');
    for (size_t i = 0; i < segment.selectors.size(); ++i) {
      if (i > 0) out->push_back(',');
      RenderSelector(segment.selectors[i], out);
    }
    out->push_back(']');
  }
}

}  // namespace

std::string ToString(const Path& path) {
  std::string out;
  RenderPath(path.root, &out);
  return out;
}

}  // namespace pn::jsonpath
