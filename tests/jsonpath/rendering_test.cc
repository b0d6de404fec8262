// Normalized paths of matches (spec §9) and str(Path) rendering (spec §10).
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

std::string PathOfOnlyMember(std::string_view doc) {
  std::vector<std::string> paths = Paths("$.*", doc);
  return paths.size() == 1 ? paths[0] : "";
}

TEST(NormalizedPathTest, MemberNamesUsePythonJsonDumpsEnsureAscii) {
  EXPECT_EQ(PathOfOnlyMember(R"({"é": 1})"), R"($["\u00e9"])");
  EXPECT_EQ(PathOfOnlyMember(R"({"a\"b": 1})"), R"($["a\"b"])");
  EXPECT_EQ(PathOfOnlyMember(R"({"a\\b": 1})"), R"($["a\\b"])");
  EXPECT_EQ(PathOfOnlyMember(R"({"\n": 1})"), R"($["\n"])");
  EXPECT_EQ(PathOfOnlyMember(R"({"": 1})"), R"($[""])");
  EXPECT_EQ(PathOfOnlyMember(R"({"\u007f\u0001": 1})"), R"($["\u007f\u0001"])");
  EXPECT_EQ(PathOfOnlyMember(R"({"😀": 1})"), R"($["\ud83d\ude00"])");
  EXPECT_EQ(PathOfOnlyMember(R"({"a/b": 1})"), R"($["a/b"])");
}

TEST(NormalizedPathTest, FiltersAndDescentAddNothing) {
  EXPECT_EQ(Paths(R"($..[?(@ = 2)])", R"({"a": [1, 2]})"), V({R"($["a"][1])"}));
}

TEST(ToStringTest, OrInsideAndIsParenthesized) {
  EXPECT_EQ(Rendered("$[?(@.a or @.b and @.c)]"), R"($[?((@["a"] or @["b"]) and @["c"])])");
}

TEST(ToStringTest, AndInsideOrIsParenthesized) {
  EXPECT_EQ(Rendered("$[?(@.a and (@.b or @.c))]"), R"($[?(@["a"] and (@["b"] or @["c"]))])");
}

TEST(ToStringTest, SameOperatorChainsAreFlattened) {
  EXPECT_EQ(Rendered("$[?((@.a and @.b) and (@.c and @.d))]"),
            R"($[?(@["a"] and @["b"] and @["c"] and @["d"])])");
  EXPECT_EQ(Rendered("$[?(@.a or (@.b or @.c))]"), R"($[?(@["a"] or @["b"] or @["c"])])");
}

TEST(ToStringTest, NotOfChainIsParenthesized) {
  EXPECT_EQ(Rendered("$[?(not (@.a and @.b))]"), R"($[?(not (@["a"] and @["b"]))])");
  EXPECT_EQ(Rendered("$[?(not @.a = 1)]"), R"($[?(not @["a"] = 1)])");
}

TEST(ToStringTest, DoubleNegationVanishesEvenThroughParentheses) {
  EXPECT_EQ(Rendered("$[?(not (not @.a))]"), R"($[?(@["a"])])");
  EXPECT_EQ(Rendered("$[?(not not not @.a)]"), R"($[?(not @["a"])])");
}

TEST(ToStringTest, SegmentsInBracketForm) {
  EXPECT_EQ(Rendered("$.a.*..b..*[0,1]"), R"($["a"][*]..["b"]..[*][0,1])");
  EXPECT_EQ(Rendered("$.length ()"), "$[length()]");
  EXPECT_EQ(Rendered("$..length()"), "$..[length()]");
}

TEST(ToStringTest, SlicesDropOmittedParts) {
  EXPECT_EQ(Rendered("$[:2:]"), "$[:2]");
  EXPECT_EQ(Rendered("$[2::]"), "$[2:]");
  EXPECT_EQ(Rendered("$[::]"), "$[:]");
  EXPECT_EQ(Rendered("$[::2]"), "$[::2]");
  EXPECT_EQ(Rendered("$[-0:-1:-2]"), "$[0:-1:-2]");
}

TEST(ToStringTest, IntegersKeepArbitrarySize) {
  EXPECT_EQ(Rendered("$[99999999999999999999,-0]"), "$[99999999999999999999,0]");
}

TEST(ToStringTest, LiteralsUsePythonJsonDumps) {
  EXPECT_EQ(Rendered("$[?(@.a = 1E2)]"), R"($[?(@["a"] = 100.0)])");
  EXPECT_EQ(Rendered(R"($[?(@.a = {"k":[1,2],"j":null})])"),
            R"($[?(@["a"] = {"k": [1, 2], "j": null})])");
  EXPECT_EQ(Rendered(R"($[?(@.a = "é")])"), R"($[?(@["a"] = "\u00e9")])");
  EXPECT_EQ(Rendered(R"($[?(@.a = "a\nb")])"), R"($[?(@["a"] = "a\\nb")])");
  EXPECT_EQ(Rendered("$[?(@.a = 99999999999999999999)]"), R"($[?(@["a"] = 99999999999999999999)])");
  EXPECT_EQ(Rendered("$[?(true)]"), "$[?(true)]");
}

TEST(ToStringTest, OverflowingFloatLiteralRendersAsInfinity) {
  // Found by the parse fuzzer: json.dumps(float("1e400")) is Infinity, which does not re-parse.
  EXPECT_EQ(Rendered("$.keys(90769970.4E2222222222)"), "$[keys(Infinity)]");
  EXPECT_EQ(Rendered("$[?(@ = -1e400)]"), "$[?(@ = -Infinity)]");
}

TEST(ToStringTest, RawMemberNamesHaveBackslashesDoubled) {
  EXPECT_EQ(Rendered(R"($["a\"b"])"), R"($["a\\\"b"])");
}

TEST(ToStringTest, NodeSubscriptsAndCallArguments) {
  EXPECT_EQ(Rendered("$.c[$.i,@[0]]"), R"($["c"][$["i"],@[0]])");
  EXPECT_EQ(Rendered(R"($.s.substring($.i, -1))"), R"($["s"][substring($["i"],-1)])");
  EXPECT_EQ(Rendered(R"($.s.charAt("x"))"), R"($["s"][charAt("x")])");
}

TEST(ToStringTest, ContainsOperatorAndMember) {
  EXPECT_EQ(Rendered(R"($[?(@.contains contains "x")])"), R"($[?(@["contains"] contains "x")])");
}

}  // namespace
}  // namespace pn::jsonpath::testing
