// Static analysis of a subscription's jsonpath2 text: finds equality tests that every match
// requires, so the index can skip subscriptions cheaply. Recognised shapes:
//   $[?(top)]...                       (one or more filters as the only selectors after `$`)
//   $[?(top)]["data"][*][?(elem)]...   (then a member, a wildcard and a filter: `elem` tests
//                                       the elements of the event's top-level member `data`)
// Inside a filter, the top-level `and` conjuncts `@.attr = literal` (either side; a string or an
// integer literal; `$` operands always address the event), or an `or` of such tests on one
// attribute, are necessary conditions: jsonpath2's `and` binds loosest. Anything unrecognised
// yields no requirement (the subscription is then always a candidate), so the analysis can
// only prune subscriptions that cannot match.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace pn::match {

// The event must be an object whose member `attribute` is a string equal to one of `values`
// (raw literal text: jsonpath2 does not decode escapes in string literals).
// With `within` set, "the event" above means "some element of the event's member `within`
// (an array's elements or an object's member values)". `integers` are integer literals, equal
// under Python's == to the same integer, a float of that value, and true/false for 1/0.
struct RequiredEquality {
  std::string attribute;
  std::vector<std::string> values;  // sorted, unique
  std::string within{};             // "" = the event itself
  std::vector<int64_t> integers{};  // sorted, unique
  friend bool operator==(const RequiredEquality&, const RequiredEquality&) = default;
};

// The key under which a JSON value is equal to literals: 's' + text for a string, 'i' +
// decimal for a Python int-equal number (ints, bools, integral floats within int64); nullopt
// for anything no recognised literal can equal.
std::optional<std::string> EqualityKey(const Json& value);
std::string StringKey(std::string_view raw_literal);
std::string IntegerKey(int64_t value);

// Every requirement found; empty when the expression has no recognised prefix (or is invalid).
std::vector<RequiredEquality> AnalyzeRequiredEqualities(std::string_view jsonpath_text);

// True iff `event` satisfies `req` (see RequiredEquality).
bool Satisfies(const RequiredEquality& req, const Json& event);

}  // namespace pn::match
