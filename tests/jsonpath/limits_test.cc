// Pathological inputs end in bounded time and memory with the same results (issue 3): deep or
// long expressions, deep documents, huge slice bounds.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

using ::testing::HasSubstr;

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.append(s);
  return out;
}

TEST(LimitsTest, DeeplyNestedParenthesesAreACleanError) {
  const std::string expr = "$[?(" + Repeat("(", 100000) + "@" + Repeat(")", 100000) + ")]";
  EXPECT_THAT(ParseError(expr), HasSubstr("nested too deeply"));
}

TEST(LimitsTest, LongNotChainIsACleanError) {
  EXPECT_THAT(ParseError("$[?(" + Repeat("not ", 100000) + "@)]"), HasSubstr("nested too deeply"));
}

TEST(LimitsTest, DeeplyNestedLiteralIsACleanError) {
  const std::string expr = "$[?(@ = " + Repeat("[", 100000) + Repeat("]", 100000) + ")]";
  EXPECT_THAT(ParseError(expr), HasSubstr("nested too deeply"));
}

TEST(LimitsTest, DeeplyNestedFiltersAreACleanError) {
  const std::string expr = "$" + Repeat("[?(@", 50000) + Repeat(")]", 50000);
  EXPECT_THAT(ParseError(expr), HasSubstr("nested too deeply"));
}

TEST(LimitsTest, VeryLongPathIsACleanError) {
  EXPECT_THAT(ParseError("$" + Repeat("[0]", 100000)), HasSubstr("path too long"));
}

TEST(LimitsTest, PathWithinTheLimitEvaluates) {
  std::string doc = Repeat("[", 200) + "7" + Repeat("]", 200);
  EXPECT_EQ(Values("$" + Repeat("[0]", 200), doc), V({"7"}));
}

TEST(LimitsTest, LongFlatOrChainParsesAndEvaluates) {
  std::string expr = "$[?(@.x";
  for (int i = 0; i < 20000; ++i) expr += " or @.x";
  expr += " or @.a)]";
  EXPECT_EQ(Values(expr, R"({"a": 1})"), V({R"({"a": 1})"}));
}

TEST(LimitsTest, DescentOverVeryDeepDocumentDoesNotRecurse) {
  const size_t depth = 200000;
  // nlohmann directly: ParseJson refuses such depth, but the engine must cope with any document.
  Json doc = Json::parse(Repeat(R"({"a":)", depth) + R"({"x": 1})" + Repeat("}", depth));
  auto path = Parse("$..x");
  ASSERT_TRUE(path.ok());
  auto matched = Matches(**path, doc);
  ASSERT_TRUE(matched.ok());
  EXPECT_TRUE(*matched);
  auto all = Evaluate(**path, doc);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().path.size(), 1 + depth * 5 + 5);
}

TEST(LimitsTest, EqualityOfVeryDeepValuesDoesNotRecurse) {
  const size_t depth = 200000;
  const std::string nested = Repeat("[", depth) + Repeat("]", depth);
  // An array root: nlohmann's ordered_map deep-copies members when it grows (see report).
  Json doc = Json::parse("[" + nested + ", " + nested + "]");
  auto path = Parse("$[?(@[0] = @[1])]");
  ASSERT_TRUE(path.ok());
  auto matched = Matches(**path, doc);
  ASSERT_TRUE(matched.ok());
  EXPECT_TRUE(*matched);
}

TEST(LimitsTest, HugeSliceBoundsVisitOnlyTheArray) {
  Json doc = J("[0, 1, 2]");
  for (const char* expr : {"$[0:99999999999999999999999999999999999999999999999999]",
                           "$[-99999999999999999999999999999999999999999999999999:]",
                           "$[0:9223372036854775807:1]", "$[-9223372036854775808:]"}) {
    Outcome o = RunOnDoc(expr, doc);
    EXPECT_EQ(o.values, V({"0", "1", "2"})) << expr;
  }
}

TEST(LimitsTest, HugeNegativeRangeVisitsOnlyTheArray) {
  Outcome o = RunExpr("$[9223372036854775807:-9223372036854775808:-1]", "[0, 1]");
  EXPECT_EQ(o.values, V({"1", "0", "1", "0"}));
  EXPECT_EQ(o.paths, V({"$[1]", "$[0]", "$[-1]", "$[-2]"}));
}

}  // namespace
}  // namespace pn::jsonpath::testing
