// Helpers shared by the jsonpath tests: run an expression on a JSON text and get the results in a
// form that keeps int/float apart (Python json.dumps rendering).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json/json.h"
#include "jsonpath/jsonpath.h"

namespace pn::jsonpath::testing {

inline Json J(std::string_view text) {
  auto doc = ParseJson(text);
  EXPECT_TRUE(doc.ok()) << doc.status().message() << " in " << text;
  // Moved, not copied: nlohmann's copy constructor recurses, which the deep-document tests avoid.
  return doc.ok() ? std::move(doc).value() : Json();
}

struct Outcome {
  std::vector<std::string> values;  // DumpPython of each value
  std::vector<std::string> paths;
  std::string error;                // parse or evaluation error message, "" when none
};

inline Outcome RunOnDoc(std::string_view expr, const Json& doc) {
  Outcome outcome;
  auto path = Parse(expr);
  if (!path.ok()) {
    outcome.error = path.status().message();
    return outcome;
  }
  std::vector<Match> partial;
  auto matches = Evaluate(**path, doc, &partial);
  if (!matches.ok()) outcome.error = matches.status().message();
  for (const Match& m : matches.ok() ? *matches : partial) {
    outcome.values.push_back(DumpPython(m.value));
    outcome.paths.push_back(m.path);
  }
  return outcome;
}

inline Outcome RunExpr(std::string_view expr, std::string_view doc_text) {
  return RunOnDoc(expr, J(doc_text));
}

// Values only, rendered as json.dumps does; fails the test on any error.
inline std::vector<std::string> Values(std::string_view expr, std::string_view doc_text) {
  Outcome o = RunExpr(expr, doc_text);
  EXPECT_EQ(o.error, "") << expr;
  return o.values;
}

inline std::vector<std::string> Paths(std::string_view expr, std::string_view doc_text) {
  Outcome o = RunExpr(expr, doc_text);
  EXPECT_EQ(o.error, "") << expr;
  return o.paths;
}

// The parse error message, or "" when the expression parses.
inline std::string ParseError(std::string_view expr) {
  auto path = Parse(expr);
  return path.ok() ? "" : path.status().message();
}

inline std::string Rendered(std::string_view expr) {
  auto path = Parse(expr);
  EXPECT_TRUE(path.ok()) << path.status().message();
  return path.ok() ? ToString(**path) : "";
}

inline std::vector<std::string> V(std::initializer_list<const char*> items) {
  return {items.begin(), items.end()};
}

}  // namespace pn::jsonpath::testing
