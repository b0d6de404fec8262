// Recursive descent (spec §5.9): pre-order, grouped by visited node, start node included,
// duplicates kept.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

TEST(DescentTest, WildcardGroupsOutputByVisitedNode) {
  Outcome o = RunExpr("$..*", R"({"a": {"x": 1}, "b": [2, [3]]})");
  EXPECT_EQ(o.values, V({R"({"x": 1})", "[2, [3]]", "1", "2", "[3]", "3"}));
  EXPECT_EQ(o.paths, V({R"($["a"])", R"($["b"])", R"($["a"]["x"])", R"($["b"][0])",
                        R"($["b"][1])", R"($["b"][1][0])"}));
}

TEST(DescentTest, FilterTestsTheStartNodeToo) {
  EXPECT_EQ(Paths("$..[?(@.b)]", R"({"b": 1, "c": {"b": 2}})"), V({"$", R"($["c"])"}));
}

TEST(DescentTest, OverlappingDescentsKeepDuplicates) {
  Outcome o = RunExpr("$..a..b", R"({"a": {"a": {"b": 1}}})");
  EXPECT_EQ(o.values, V({"1", "1"}));
  EXPECT_EQ(o.paths, V({R"($["a"]["a"]["b"])", R"($["a"]["a"]["b"])"}));
}

TEST(DescentTest, ScalarHasNoDescendants) { EXPECT_EQ(Values("$..x", "5"), V({})); }

TEST(DescentTest, RestOfPathRunsAtEachNodeBeforeDescending) {
  EXPECT_EQ(Values("$..a[0]", R"({"a": [1, {"a": [2]}], "b": {"a": [3]}})"), V({"1", "2", "3"}));
}

TEST(DescentTest, UnionAfterDescent) {
  EXPECT_EQ(Values(R"($..["b","a"])", R"({"a": 1, "b": 2, "c": {"a": 3}})"), V({"2", "1", "3"}));
}

TEST(DescentTest, IndexAfterDescentKeepsWrittenIndex) {
  EXPECT_EQ(Paths("$..[-1]", R"({"a": [1, [2, 3]]})"), V({R"($["a"][-1])", R"($["a"][1][-1])"}));
}

TEST(DescentTest, MemberNamesInPathsAreEscaped) {
  EXPECT_EQ(Paths("$..x", R"({"é\"": {"x": 1}})"), V({R"($["\u00e9\""]["x"])"}));
}

TEST(DescentTest, MatchesStopsAtFirstResult) {
  auto path = Parse("$..x");
  ASSERT_TRUE(path.ok());
  auto matched = Matches(**path, J(R"({"a": [{"x": 1}], "x": 2})"));
  ASSERT_TRUE(matched.ok());
  EXPECT_TRUE(*matched);
}

}  // namespace
}  // namespace pn::jsonpath::testing
