// Static analysis of a subscription's jsonpath2 text: finds the equality tests on top-level
// string attributes that every match requires, so the index can skip subscriptions cheaply.
// Recognised shape: a filter as the first and only selector after `$`, e.g.
//   $[?(@["eventType"] = "org.pacifica.metadata.ingest" and @.source = "...")]["data"]...
// whose top-level `and` conjuncts include `@.attr = "literal"` (either side, `$` or `@`), or an
// `or` of such tests on one attribute. jsonpath2's `and` binds loosest, so those conjuncts are
// necessary conditions. Anything unrecognised yields no requirement (the subscription is then
// always a candidate), so the analysis can only prune subscriptions that cannot match.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace pn::match {

// The event must be an object whose member `attribute` is a string equal to one of `values`
// (raw literal text: jsonpath2 does not decode escapes in string literals).
struct RequiredEquality {
  std::string attribute;
  std::vector<std::string> values;
  friend bool operator==(const RequiredEquality&, const RequiredEquality&) = default;
};

// Every requirement found; empty when the expression has no recognised prefix (or is invalid).
std::vector<RequiredEquality> AnalyzeRequiredEqualities(std::string_view jsonpath_text);

// True iff `event` satisfies `req` (see RequiredEquality).
bool Satisfies(const RequiredEquality& req, const Json& event);

}  // namespace pn::match
