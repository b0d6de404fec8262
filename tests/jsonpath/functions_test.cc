// Functions (spec §5.8): receivers, argument rules, Python indexing and slicing on code points,
// Cartesian products of path arguments, path segments `[f(args)]`.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

TEST(FunctionsTest, LengthOfArrayAndStringInCodePoints) {
  EXPECT_EQ(Values("$.a.length()", R"({"a": [1, 2, 3]})"), V({"3"}));
  EXPECT_EQ(Values("$.s.length()", R"({"s": "é😀"})"), V({"2"}));
}

TEST(FunctionsTest, LengthOfObjectNumberBoolNullIsNothing) {
  for (const char* doc : {"{}", "1", "true", "null"}) EXPECT_EQ(Values("$.length()", doc), V({}));
}

TEST(FunctionsTest, ExtraArgumentsYieldNothing) {
  EXPECT_EQ(Values("$.length(1)", "[1]"), V({}));
  EXPECT_EQ(Values("$.keys(1)", "[1]"), V({}));
  EXPECT_EQ(Values("$.charAt(0, 1)", R"("ab")"), V({}));
  EXPECT_EQ(Values("$.charAt()", R"("ab")"), V({}));
  EXPECT_EQ(Values("$.substring(0, 1, 2)", R"("ab")"), V({}));
}

TEST(FunctionsTest, KeysValuesEntriesOfObject) {
  const char* doc = R"({"b": 1, "a": [2]})";
  EXPECT_EQ(Values("$.keys()", doc), V({R"(["b", "a"])"}));
  EXPECT_EQ(Values("$.values()", doc), V({"[1, [2]]"}));
  EXPECT_EQ(Values("$.entries()", doc), V({R"([["b", 1], ["a", [2]]])"}));
}

TEST(FunctionsTest, KeysValuesEntriesOfArray) {
  const char* doc = R"(["x", 1.0])";
  EXPECT_EQ(Values("$.keys()", doc), V({"[0, 1]"}));
  EXPECT_EQ(Values("$.values()", doc), V({R"(["x", 1.0])"}));
  EXPECT_EQ(Values("$.entries()", doc), V({R"([[0, "x"], [1, 1.0]])"}));
}

TEST(FunctionsTest, KeysOfStringIsNothing) { EXPECT_EQ(Values("$.keys()", R"("ab")"), V({})); }

TEST(FunctionsTest, CharAtUsesPythonIndexing) {
  EXPECT_EQ(Values("$.charAt(0)", R"("héllo")"), V({R"("h")"}));
  EXPECT_EQ(Values("$.charAt(1)", R"("héllo")"), V({R"("\u00e9")"}));
  EXPECT_EQ(Values("$.charAt(-1)", R"("héllo")"), V({R"("o")"}));
  EXPECT_EQ(Values("$.charAt(-5)", R"("héllo")"), V({R"("h")"}));
  EXPECT_EQ(Values("$.charAt(1)", R"("a😀")"), V({R"("\ud83d\ude00")"}));
}

TEST(FunctionsTest, CharAtOutOfRangeOrWrongTypeIsNothing) {
  for (const char* arg : {"5", "-6", "1.0", R"("1")", "null", "99999999999999999999",
                          "-99999999999999999999", "[0]"}) {
    EXPECT_EQ(Values(std::string("$.charAt(") + arg + ")", R"("hello")"), V({})) << arg;
  }
  EXPECT_EQ(Values("$.charAt(0)", "[1]"), V({}));
}

TEST(FunctionsTest, CharAtWithBooleanIndex) {
  Outcome o = RunExpr("$.charAt(true)", R"("ab")");
  EXPECT_EQ(o.values, V({R"("b")"}));
  EXPECT_EQ(o.paths, V({"$[charAt(true)]"}));
}

TEST(FunctionsTest, SubstringUsesPythonSlicing) {
  const char* doc = R"("hello")";
  EXPECT_EQ(Values("$.substring(1)", doc), V({R"("ello")"}));
  EXPECT_EQ(Values("$.substring(1, 3)", doc), V({R"("el")"}));
  EXPECT_EQ(Values("$.substring(-2)", doc), V({R"("lo")"}));
  EXPECT_EQ(Values("$.substring(3, 1)", doc), V({R"("")"}));
  EXPECT_EQ(Values("$.substring(-100, 2)", doc), V({R"("he")"}));
  EXPECT_EQ(Values("$.substring(0, 99999999999999999999)", doc), V({R"("hello")"}));
  EXPECT_EQ(Values("$.substring(-99999999999999999999)", doc), V({R"("hello")"}));
  EXPECT_EQ(Values("$.substring(false, true)", doc), V({R"("h")"}));
  EXPECT_EQ(Values("$.substring(1.0)", doc), V({}));
}

TEST(FunctionsTest, SubstringCountsCodePoints) {
  EXPECT_EQ(Values("$.substring(1, 3)", R"("a😀é!")"), V({R"("\ud83d\ude00\u00e9")"}));
}

TEST(FunctionsTest, PathSegmentShowsEvaluatedArguments) {
  EXPECT_EQ(Paths("$.s.substring(1, 3)", R"({"s": "hello"})"), V({R"($["s"][substring(1,3)])"}));
  EXPECT_EQ(Paths("$.s[charAt($.i)]", R"({"s": "hello", "i": 1})"), V({R"($["s"][charAt(1)])"}));
  EXPECT_EQ(Paths("$.s.substring(0, 99999999999999999999)", R"({"s": "a"})"),
            V({R"($["s"][substring(0,99999999999999999999)])"}));
}

TEST(FunctionsTest, PathArgumentsFormACartesianProductFirstSlowest) {
  Outcome o = RunExpr("$.s.substring($.a[*], $.b[*])", R"({"s": "abcd", "a": [0, 1], "b": [2, 3]})");
  EXPECT_EQ(o.values, V({R"("ab")", R"("abc")", R"("b")", R"("bc")"}));
  EXPECT_EQ(o.paths, V({R"($["s"][substring(0,2)])", R"($["s"][substring(0,3)])",
                        R"($["s"][substring(1,2)])", R"($["s"][substring(1,3)])"}));
}

TEST(FunctionsTest, EmptyPathArgumentMeansNoCall) {
  EXPECT_EQ(Values("$.s.charAt($.missing)", R"({"s": "ab"})"), V({}));
}

TEST(FunctionsTest, CurrentInArgumentIsTheReceiver) {
  EXPECT_EQ(Values("$.s.charAt(@.length())", R"({"s": "ab"})"), V({}));
  EXPECT_EQ(Values(R"($.s[charAt($.s.length())])", R"({"s": "ab"})"), V({}));
}

TEST(FunctionsTest, ResultsCanBeSubscripted) {
  Outcome o = RunExpr("$.o.keys()[*]", R"({"o": {"x": 1, "y": 2}})");
  EXPECT_EQ(o.values, V({R"("x")", R"("y")"}));
  EXPECT_EQ(o.paths, V({R"($["o"][keys()][0])", R"($["o"][keys()][1])"}));
}

TEST(FunctionsTest, FunctionsInFilters) {
  const char* doc = R"([{"name": "ab", "t": {"a": 1, "b": 2}}, {"name": "abcd", "t": {"c": 1}}])";
  EXPECT_EQ(Paths("$[*][?(@.name.length() > 3)]", doc), V({"$[1]"}));
  EXPECT_EQ(Paths("$[*][?(@.t.entries().length() = 2)]", doc), V({"$[0]"}));
  EXPECT_EQ(Paths(R"($[*][?(@.t.keys() contains "c")])", doc), V({"$[1]"}));
}

TEST(FunctionsTest, FunctionAfterDescentAppliesAtEveryNode) {
  Outcome o = RunExpr("$..length()", R"({"a": [1, "xy"], "b": "abc"})");
  EXPECT_EQ(o.values, V({"2", "2", "3"}));
  EXPECT_EQ(o.paths, V({R"($["a"][length()])", R"($["a"][1][length()])", R"($["b"][length()])"}));
}

}  // namespace
}  // namespace pn::jsonpath::testing
