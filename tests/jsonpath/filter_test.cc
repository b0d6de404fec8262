// Filters and expressions (spec §4, §5.6, §5.10): the filter tests the value itself, existence vs
// truthiness, existential comparisons with the first-left-value quirk, Python ==, numeric-only
// ordering, `or` binding tighter than `and`, contains.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

// True iff `$[?(expr)]` selects the document.
bool Holds(const std::string& expr, std::string_view doc) {
  Outcome o = RunExpr("$[?(" + expr + ")]", doc);
  EXPECT_EQ(o.error, "") << expr;
  return o.values.size() == 1;
}

TEST(FilterTest, FilterTestsTheArrayItselfNotItsElements) {
  EXPECT_EQ(Values("$[?(@.a)]", R"([{"a": 1}])"), V({}));
  EXPECT_EQ(Paths("$[*][?(@.a)]", R"([{"a": 1}, {"b": 2}])"), V({"$[0]"}));
}

TEST(FilterTest, FilterOnScalarYieldsItWithoutPathStep) {
  Outcome o = RunExpr(R"($.s[?(@ = "x")])", R"({"s": "x"})");
  EXPECT_EQ(o.values, V({R"("x")"}));
  EXPECT_EQ(o.paths, V({R"($["s"])"}));
}

TEST(FilterTest, ExistenceIgnoresTheValue) {
  for (const char* v : {"false", "null", "0", R"("")", "[]", "{}"}) {
    EXPECT_TRUE(Holds("@.a", std::string(R"({"a": )") + v + "}")) << v;
  }
  EXPECT_FALSE(Holds("@.a", "{}"));
}

TEST(FilterTest, NotIsTrueOnlyWhenMissing) {
  EXPECT_FALSE(Holds("not @.a", R"({"a": false})"));
  EXPECT_TRUE(Holds("not @.a", R"({"b": 1})"));
}

TEST(FilterTest, CurrentAndRootAloneAreTrue) {
  EXPECT_TRUE(Holds("@", "null"));
  EXPECT_TRUE(Holds("$", "false"));
}

TEST(FilterTest, LiteralUsesPythonTruthiness) {
  for (const char* falsy : {"false", "null", "0", "0.0", R"("")", "[]", "{}", "-0"}) {
    EXPECT_FALSE(Holds(falsy, "{}")) << falsy;
  }
  for (const char* truthy : {"true", R"("0")", R"("false")", "-1", "[0]", R"({"a": 0})", "0.5",
                             "99999999999999999999"}) {
    EXPECT_TRUE(Holds(truthy, "{}")) << truthy;
  }
}

TEST(FilterTest, MissingOperandMakesEveryComparisonFalse) {
  for (const char* op : {"=", "!=", "<", "<=", ">", ">="}) {
    EXPECT_FALSE(Holds(std::string("@.missing ") + op + " 1", "{}")) << op;
  }
  EXPECT_FALSE(Holds("@.missing = null", "{}"));
  EXPECT_FALSE(Holds("null = @.missing", "{}"));
}

TEST(FilterTest, ComparisonIsExistentialOverValues) {
  EXPECT_TRUE(Holds("@[*] = 2", "[1, 2, 3]"));
  EXPECT_TRUE(Holds("@[*] != 1", "[1, 2]"));
  EXPECT_FALSE(Holds("@[*] != 1", "[1, 1]"));
  EXPECT_TRUE(Holds("2 = @[*]", "[1, 2]"));
}

TEST(FilterTest, BothPathsCompareOnlyTheFirstLeftValue) {
  const char* doc = R"({"a": [1, 2], "b": [2, 3]})";
  EXPECT_FALSE(Holds("@.a[*] = @.b[*]", doc));
  EXPECT_TRUE(Holds("@.b[*] = @.a[*]", doc));
}

TEST(FilterTest, TwoLiteralsCompare) {
  EXPECT_TRUE(Holds("1 = 1", "{}"));
  EXPECT_FALSE(Holds("1 = 2", "{}"));
  EXPECT_TRUE(Holds(R"("a" != "b")", "{}"));
}

TEST(FilterTest, BooleansEqualOneAndZero) {
  EXPECT_TRUE(Holds("@.t = 1", R"({"t": true})"));
  EXPECT_TRUE(Holds("1 = true", "{}"));
  EXPECT_TRUE(Holds("@.f = 0.0", R"({"f": false})"));
  EXPECT_FALSE(Holds("@.n = true", R"({"n": 2})"));
  EXPECT_TRUE(Holds("@.n = 1.0", R"({"n": true})"));
}

TEST(FilterTest, ContainersCompareStructurally) {
  EXPECT_TRUE(Holds("[1.0, true] = [1, 1]", "{}"));
  EXPECT_FALSE(Holds("@.a = [2, 1]", R"({"a": [1, 2]})"));
  EXPECT_TRUE(Holds(R"(@.o = {"y": [2], "x": 1})", R"({"o": {"x": 1, "y": [2.0]}})"));
  EXPECT_FALSE(Holds(R"(@.o = {"x": 1})", R"({"o": {"x": 1, "y": 2}})"));
  EXPECT_FALSE(Holds("[] = {}", "{}"));
}

TEST(FilterTest, DifferentKindsAreNeverEqual) {
  EXPECT_FALSE(Holds(R"(@.a = "1")", R"({"a": 1})"));
  EXPECT_TRUE(Holds(R"(@.a != "1")", R"({"a": 1})"));
  EXPECT_TRUE(Holds("@.a = null", R"({"a": null})"));
  EXPECT_FALSE(Holds("@.a = false", R"({"a": null})"));
}

TEST(FilterTest, IntAndFloatCompareExactly) {
  const char* doc = R"({"i": 9007199254740993})";
  EXPECT_FALSE(Holds("@.i = 9007199254740992.0", doc));
  EXPECT_TRUE(Holds("@.i > 9007199254740992.0", doc));
  EXPECT_TRUE(Holds("@.i = 9007199254740993", doc));
  EXPECT_TRUE(Holds("@.f = 9007199254740992", R"({"f": 9007199254740992.0})"));
  EXPECT_TRUE(Holds("@.f = 1", R"({"f": 1.0})"));
  EXPECT_FALSE(Holds("@.f = 1", R"({"f": 1.5})"));
  EXPECT_TRUE(Holds("@.f < 2", R"({"f": 1.5})"));
}

TEST(FilterTest, Uint64ComparesExactly) {
  const char* doc = R"({"u": 18446744073709551615})";
  EXPECT_TRUE(Holds("@.u = 18446744073709551615", doc));
  EXPECT_TRUE(Holds("@.u > 18446744073709551614", doc));
  EXPECT_FALSE(Holds("@.u = 18446744073709551616.0", doc));
  EXPECT_TRUE(Holds("@.u < 18446744073709551616.0", doc));
  EXPECT_TRUE(Holds("@.u > -1", doc));
}

TEST(FilterTest, BigIntLiteralsCompareExactly) {
  const char* doc = R"({"f": 1e20, "i": -5})";
  EXPECT_TRUE(Holds("@.f = 100000000000000000000", doc));
  EXPECT_FALSE(Holds("@.f = 99999999999999999999", doc));
  EXPECT_TRUE(Holds("@.f > 99999999999999999999", doc));
  EXPECT_TRUE(Holds("@.f < 100000000000000000001", doc));
  EXPECT_TRUE(Holds("@.i > -100000000000000000000", doc));
  EXPECT_TRUE(Holds("100000000000000000000 > 99999999999999999999", doc));
  EXPECT_TRUE(Holds("-100000000000000000000 < -99999999999999999999", doc));
  EXPECT_TRUE(Holds("[100000000000000000000] = [1e20]", doc));
}

TEST(FilterTest, OrderingOnlyBetweenNumbers) {
  EXPECT_FALSE(Holds(R"("a" < "b")", "{}"));
  EXPECT_FALSE(Holds(R"(@.s < "b")", R"({"s": "a"})"));
  EXPECT_TRUE(Holds("true > 0", "{}"));
  EXPECT_TRUE(Holds("false <= 0", "{}"));
  EXPECT_FALSE(Holds("null < 1", "{}"));
  EXPECT_FALSE(Holds("[1] < [2]", "{}"));
  EXPECT_TRUE(Holds("1 <= 1.0", "{}"));
  EXPECT_TRUE(Holds("@.x < 1e400", R"({"x": 1.7976931348623157e308})"));
  EXPECT_TRUE(Holds("-1e400 < @.x", R"({"x": -99999999999999999999999})"));
}

TEST(FilterTest, OrBindsTighterThanAnd) {
  const char* doc = R"({"a": 1})";
  EXPECT_FALSE(Holds("@.a or @.b and @.c", doc));  // (a or b) and c
  EXPECT_FALSE(Holds("@.c and @.b or @.a", doc));  // c and (b or a)
  EXPECT_TRUE(Holds("(@.c and @.b) or @.a", doc));
  EXPECT_TRUE(Holds("not @.b or @.c", doc));  // (not b) or c
  EXPECT_TRUE(Holds("not @.a = 2", doc));     // not (a = 2)
  EXPECT_FALSE(Holds("not (@.a or @.b)", doc));
}

TEST(FilterTest, NotNotCollapses) {
  EXPECT_TRUE(Holds("not not @.a", R"({"a": 1})"));
  EXPECT_FALSE(Holds("not not not @.a", R"({"a": 1})"));
  EXPECT_TRUE(Holds("not (not @.a)", R"({"a": 1})"));
}

TEST(FilterTest, OrShortCircuitsBeforeAnError) {
  EXPECT_TRUE(Holds("true or 1 contains 1", "{}"));
  EXPECT_NE(RunExpr("$[?(1 contains 1 or true)]", "{}").error, "");
  EXPECT_FALSE(Holds("false and 1 contains 1", "{}"));
}

TEST(FilterTest, RootInsideFilter) {
  EXPECT_EQ(Values("$.items[*][?(@.price < $.limit)].price",
                   R"({"limit": 10, "items": [{"price": 5}, {"price": 15}, {"price": 9.5}]})"),
            V({"5", "9.5"}));
}

TEST(FilterTest, NestedFilters) {
  EXPECT_TRUE(Holds("@.a[*][?(@.b = 1)]", R"({"a": [{"b": 2}, {"b": 1}]})"));
  EXPECT_FALSE(Holds("@.a[*][?(@.b = 1)]", R"({"a": [{"b": 2}]})"));
}

TEST(FilterTest, ChainedFiltersAreAConjunction) {
  EXPECT_EQ(Paths("$[*][?(@.a)][?(@.b)]", R"([{"a": 1, "b": 1}, {"a": 1}, {"b": 1}])"),
            V({"$[0]"}));
}

TEST(FilterTest, RawLiteralMatchesBackslashInDocument) {
  EXPECT_TRUE(Holds(R"(@.v = "Nam\u00e9")", R"({"v": "Nam\\u00e9"})"));
  EXPECT_FALSE(Holds(R"(@.v = "Nam\u00e9")", R"({"v": "Namé"})"));
  EXPECT_FALSE(Holds(R"(@.v = "a\nb")", R"({"v": "a\nb"})"));
}

TEST(FilterTest, ObjectLiteralKeepsLastDuplicate) {
  EXPECT_TRUE(Holds(R"(@.o = {"a": 1, "a": 2})", R"({"o": {"a": 2}})"));
}

TEST(FilterTest, FloatLiteralForms) {
  EXPECT_TRUE(Holds("@.x = 1E2", R"({"x": 100})"));
  EXPECT_TRUE(Holds("@.x = 1.5e-1", R"({"x": 0.15})"));
  EXPECT_TRUE(Holds("@.x = -0", R"({"x": 0})"));
}

TEST(FilterTest, ContainsOnStringIsSubstring) {
  EXPECT_TRUE(Holds(R"(@.s contains "ell")", R"({"s": "hello"})"));
  EXPECT_FALSE(Holds(R"(@.s contains "ELL")", R"({"s": "hello"})"));
  EXPECT_TRUE(Holds(R"(@.s contains "")", R"({"s": ""})"));
  EXPECT_TRUE(Holds(R"(@.s contains "é")", R"({"s": "café"})"));
}

TEST(FilterTest, ContainsOnArrayUsesPythonEquality) {
  EXPECT_TRUE(Holds("@.a contains 1", R"({"a": [true]})"));
  EXPECT_TRUE(Holds("@.a contains [1]", R"({"a": [[1.0]]})"));
  EXPECT_FALSE(Holds(R"(@.a contains "1")", R"({"a": [1]})"));
}

TEST(FilterTest, ContainsOnObjectTestsMemberNames) {
  EXPECT_TRUE(Holds(R"(@.o contains "k")", R"({"o": {"k": 0}})"));
  EXPECT_FALSE(Holds(R"(@.o contains 0)", R"({"o": {"k": 0}})"));
  EXPECT_FALSE(Holds(R"(@.o contains null)", R"({"o": {"null": 0}})"));
}

TEST(FilterTest, ContainsWithMissingLeftIsFalse) {
  EXPECT_FALSE(Holds(R"(@.missing contains "a")", "{}"));
}

TEST(FilterTest, ContainsWithPathOnTheRight) {
  EXPECT_TRUE(Holds("@.tags contains @.want", R"({"tags": ["a", "b"], "want": "b"})"));
}

}  // namespace
}  // namespace pn::jsonpath::testing
