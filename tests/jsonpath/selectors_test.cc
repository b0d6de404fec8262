// Member, index, wildcard, union and node-subscript selectors (spec §5.1-5.3, 5.5, 5.7).
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

TEST(SelectorsTest, MemberWithNullValueIsAResult) {
  EXPECT_EQ(Values("$.a", R"({"a": null})"), V({"null"}));
}

TEST(SelectorsTest, NoCoercionBetweenMemberAndIndex) {
  EXPECT_EQ(Values(R"($["0"])", "[1, 2]"), V({}));
  EXPECT_EQ(Values("$[0]", R"({"0": 1})"), V({}));
}

TEST(SelectorsTest, StringsAreNotContainers) {
  EXPECT_EQ(Values("$[0]", R"("abc")"), V({}));
  EXPECT_EQ(Values("$.*", R"("abc")"), V({}));
  EXPECT_EQ(Values("$[:]", R"("abc")"), V({}));
}

TEST(SelectorsTest, NegativeIndexKeepsItsSignInThePath) {
  Outcome o = RunExpr("$[-1]", "[1, 2, 3]");
  EXPECT_EQ(o.values, V({"3"}));
  EXPECT_EQ(o.paths, V({"$[-1]"}));
}

TEST(SelectorsTest, OutOfRangeIndexSelectsNothing) {
  EXPECT_EQ(Values("$[3]", "[1, 2, 3]"), V({}));
  EXPECT_EQ(Values("$[-4]", "[1, 2, 3]"), V({}));
  EXPECT_EQ(Values("$[-3]", "[1, 2, 3]"), V({"1"}));
}

TEST(SelectorsTest, HugeIndexLiteralsSelectNothing) {
  EXPECT_EQ(Values("$[99999999999999999999]", "[1, 2, 3]"), V({}));
  EXPECT_EQ(Values("$[-99999999999999999999]", "[1, 2, 3]"), V({}));
  EXPECT_EQ(Values("$[9223372036854775807]", "[1]"), V({}));
  EXPECT_EQ(Values("$[-9223372036854775808]", "[1]"), V({}));
}

TEST(SelectorsTest, UnionKeepsSelectorOrderAndDuplicates) {
  Outcome o = RunExpr("$[1,0,1]", "[10, 20]");
  EXPECT_EQ(o.values, V({"20", "10", "20"}));
  EXPECT_EQ(o.paths, V({"$[1]", "$[0]", "$[1]"}));
  EXPECT_EQ(Values(R"($["b","a"])", R"({"a": 1, "b": 2})"), V({"2", "1"}));
}

TEST(SelectorsTest, WildcardOverObjectFollowsDocumentOrder) {
  Outcome o = RunExpr("$.*", R"({"z": 1, "a": 2, "m": 3})");
  EXPECT_EQ(o.values, V({"1", "2", "3"}));
  EXPECT_EQ(o.paths, V({R"($["z"])", R"($["a"])", R"($["m"])"}));
}

TEST(SelectorsTest, DuplicateKeysLastValueFirstPosition) {
  EXPECT_EQ(Values("$.*", R"({"a": 1, "b": 2, "a": 3})"), V({"3", "2"}));
}

TEST(SelectorsTest, WildcardOnScalarsYieldsNothing) {
  for (const char* doc : {"1", "null", "true", R"("s")"}) EXPECT_EQ(Values("$[*]", doc), V({}));
}

TEST(SelectorsTest, IntAndFloatValuesStayApart) {
  EXPECT_EQ(Values("$[*]", "[1, 1.0, -0.0, 10000000000000000000]"),
            V({"1", "1.0", "-0.0", "10000000000000000000"}));
}

TEST(SelectorsTest, FilterInUnionYieldsTheValueItself) {
  EXPECT_EQ(Values(R"($["arr"][0,?(@)])", R"({"arr": [5, 6]})"), V({"5", "[5, 6]"}));
  EXPECT_EQ(Paths(R"($["arr"][0,?(@)])", R"({"arr": [5, 6]})"),
            V({R"($["arr"][0])", R"($["arr"])"}));
}

TEST(SelectorsTest, NodeSubscriptWithNegativeInt) {
  Outcome o = RunExpr("$.c[$.i]", R"({"c": [10, 20, 30], "i": -1})");
  EXPECT_EQ(o.values, V({"30"}));
  EXPECT_EQ(o.paths, V({R"($["c"][-1])"}));
}

TEST(SelectorsTest, NodeSubscriptWithFalseSelectsIndexZero) {
  Outcome o = RunExpr("$.c[$.i]", R"({"c": [10, 20], "i": false})");
  EXPECT_EQ(o.values, V({"10"}));
  EXPECT_EQ(o.paths, V({R"($["c"][false])"}));
}

TEST(SelectorsTest, NodeSubscriptIgnoresFloatsNullAndContainers) {
  for (const char* i : {"1.0", "null", "[1]", R"({"a": 1})"}) {
    EXPECT_EQ(Values("$.c[$.i]", std::string(R"({"c": [10, 20], "i": )") + i + "}"), V({})) << i;
  }
}

TEST(SelectorsTest, NodeSubscriptStringSelectsMember) {
  EXPECT_EQ(Paths("$.o[$.k]", R"({"o": {"x": 1}, "k": "x"})"), V({R"($["o"]["x"])"}));
}

TEST(SelectorsTest, NodeSubscriptCurrentIsTheSubscriptedValue) {
  EXPECT_EQ(Values("$.o[@.k]", R"({"o": {"k": "x", "x": 5}, "k": "k"})"), V({"5"}));
}

TEST(SelectorsTest, NodeSubscriptBeyondInt64SelectsNothing) {
  EXPECT_EQ(Values("$.c[$.i]", R"({"c": [1], "i": 18446744073709551615})"), V({}));
}

TEST(SelectorsTest, NodeSubscriptIntOnObjectAndStringOnArraySelectNothing) {
  EXPECT_EQ(Values("$.c[$.i]", R"({"c": {"0": 1}, "i": 0})"), V({}));
  EXPECT_EQ(Values("$.c[$.i]", R"({"c": [1], "i": "0"})"), V({}));
}

TEST(SelectorsTest, NodeSubscriptRepeatedIndicesKeepDuplicates) {
  EXPECT_EQ(Values("$.c[$.i[*]]", R"({"c": [10, 20], "i": [1, 1, 0]})"), V({"20", "20", "10"}));
}

TEST(SelectorsTest, RootDocumentScalar) {
  Outcome o = RunExpr("$", "false");
  EXPECT_EQ(o.values, V({"false"}));
  EXPECT_EQ(o.paths, V({"$"}));
}

}  // namespace
}  // namespace pn::jsonpath::testing
