// The public entry points (jsonpath.h) over the parser and the evaluator.
#include "jsonpath/jsonpath.h"

#include <utility>

#include "jsonpath/ast.h"
#include "jsonpath/evaluator.h"
#include "jsonpath/parser.h"

namespace pn::jsonpath {

Result<std::shared_ptr<const Path>> Parse(std::string_view text) {
  PN_ASSIGN_OR_RETURN(std::unique_ptr<Path> path, internal::ParseExpression(text));
  return std::shared_ptr<const Path>(std::move(path));
}

Result<std::vector<Match>> Evaluate(const Path& path, const Json& doc, std::vector<Match>* partial) {
  internal::Context ctx;
  ctx.root = &doc;
  std::vector<Match> matches;
  std::string normalized = "$";
  internal::Walk(path.root, 0, doc, ctx, &normalized, [&](const Json& value) {
    matches.push_back(Match{normalized, value});
    return false;
  });
  if (ctx.failed) {
    if (partial) *partial = std::move(matches);
    return ctx.error;
  }
  return matches;
}

Result<bool> Matches(const Path& path, const Json& doc) {
  internal::Context ctx;
  ctx.root = &doc;
  bool found = false;
  internal::Walk(path.root, 0, doc, ctx, nullptr, [&](const Json&) {
    found = true;
    return true;  // the first result decides
  });
  if (ctx.failed) return ctx.error;
  return found;
}

}  // namespace pn::jsonpath
