// Grammar (spec §3): what parses, what does not, and the error's position and expectation.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(SyntaxTest, ErrorNamesPositionExpectationAndFoundToken) {
  EXPECT_THAT(ParseError("$.true"),
              StartsWith("jsonpath syntax error at position 2: expected a member name or '*' "
                         "after '.', found 'true'"));
}

TEST(SyntaxTest, ErrorAtEndOfInput) {
  EXPECT_THAT(ParseError("$[?(@.a)"), HasSubstr("position 8: expected ',' or ']', found end of input"));
}

TEST(SyntaxTest, ErrorPositionCountsCodePoints) {
  EXPECT_THAT(ParseError("$[\"é\"] x"), HasSubstr("position 7"));
}

TEST(SyntaxTest, ErrorIsInvalidArgument) {
  auto path = Parse("$.");
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.status().code(), StatusCode::kInvalidArgument);
}

TEST(SyntaxTest, RootAloneIsValid) { EXPECT_EQ(ParseError("$"), ""); }

TEST(SyntaxTest, PathMustStartWithRoot) {
  for (const char* expr : {"", "data", "@.a", " .a", "[0]"}) {
    EXPECT_THAT(ParseError(expr), HasSubstr("expected '$'")) << expr;
  }
}

TEST(SyntaxTest, IncompleteOrMalformedSegmentsAreErrors) {
  for (const char* expr : {"$..", "$.", "$[]", "$[,0]", "$[0,]", R"($["a" "b"])", "$.a.",
                           "$.a b", "$a", "$[0", "$]"}) {
    EXPECT_NE(ParseError(expr), "") << expr;
  }
}

TEST(SyntaxTest, BareNamesInBracketsAreErrors) {
  EXPECT_THAT(ParseError("$[a]"), HasSubstr("position 3: expected '(' after 'a'"));
  EXPECT_NE(ParseError("$[length]"), "");
  EXPECT_EQ(ParseError("$[length()]"), "");
}

TEST(SyntaxTest, LiteralsAreNotSelectors) {
  for (const char* expr : {"$[true]", "$[null]", "$[{}]", "$[false]", "$[\"a\":1]"}) {
    EXPECT_NE(ParseError(expr), "") << expr;
  }
}

TEST(SyntaxTest, KeywordsCannotBeBareMemberNames) {
  for (const char* expr : {"$.true", "$.false", "$.null", "$.and", "$.or", "$.not", "$..null"}) {
    EXPECT_NE(ParseError(expr), "") << expr;
  }
  EXPECT_EQ(Values(R"($["true"])", R"({"true": 1})"), V({"1"}));
}

TEST(SyntaxTest, ContainsIsAMemberNameAfterDot) {
  EXPECT_EQ(Values("$.contains", R"({"contains": 1})"), V({"1"}));
  EXPECT_EQ(Values("$..contains", R"({"a": {"contains": 2}})"), V({"2"}));
}

TEST(SyntaxTest, ContainsMemberAndOperatorInOneFilter) {
  EXPECT_EQ(Values(R"($[?(@.contains contains "b")])", R"({"contains": "abc"})"),
            V({R"({"contains": "abc"})"}));
}

TEST(SyntaxTest, FunctionCallAllowsSpaceBeforeParenthesis) {
  EXPECT_EQ(Values("$.s.length ()", R"({"s": "abc"})"), V({"3"}));
}

TEST(SyntaxTest, UnknownFunctionIsAParseError) {
  EXPECT_THAT(ParseError("$.foo(1, 2, 3)"), HasSubstr("callable subscript 'foo' not found"));
}

TEST(SyntaxTest, UnknownFunctionInsideFilterIsAParseError) {
  EXPECT_THAT(ParseError("$[?(@.bar() = 1)]"), HasSubstr("callable subscript 'bar' not found"));
}

TEST(SyntaxTest, FunctionNamesAreCaseSensitive) {
  EXPECT_THAT(ParseError("$.Length()"), HasSubstr("callable subscript 'Length' not found"));
  EXPECT_THAT(ParseError("$.contains()"), HasSubstr("callable subscript 'contains' not found"));
}

TEST(SyntaxTest, ArgumentCountIsNotCheckedAtParseTime) {
  EXPECT_EQ(ParseError("$.length(1)"), "");
  EXPECT_EQ(ParseError("$.charAt()"), "");
}

TEST(SyntaxTest, FiltersNeedQuestionMarkAndParentheses) {
  EXPECT_NE(ParseError("$[?@.a]"), "");
  EXPECT_NE(ParseError("$[?()]"), "");
  EXPECT_NE(ParseError("$[(@.a)]"), "");
  EXPECT_EQ(ParseError("$[? (@.a)]"), "");
}

TEST(SyntaxTest, ComparisonsDoNotChain) { EXPECT_NE(ParseError("$[?(@.a = 1 = 1)]"), ""); }

TEST(SyntaxTest, NoOtherOperators) {
  for (const char* expr : {"$[?(@.a in [1])]", "$[?(@.a =~ \"x\")]", "$[?(@.a + 1 = 2)]",
                           "$[?(length(@) = 1)]"}) {
    EXPECT_NE(ParseError(expr), "") << expr;
  }
}

TEST(SyntaxTest, JsonLiteralsAreStrict) {
  for (const char* expr : {"$[?(@ = [1,])]", "$[?(@ = {a: 1})]", "$[?(@ = {\"a\": 1,})]",
                           "$[?(@ = {1: 1})]", "$[?(@ = [1 2])]"}) {
    EXPECT_NE(ParseError(expr), "") << expr;
  }
}

TEST(SyntaxTest, SliceForms) {
  for (const char* expr : {"$[:]", "$[1:]", "$[:2]", "$[1:2]", "$[::3]", "$[1::3]", "$[:2:3]",
                           "$[1:2:3]", "$[::]", "$[1::]", "$[:2:]", "$[-1:-2:-3]"}) {
    EXPECT_EQ(ParseError(expr), "") << expr;
  }
}

TEST(SyntaxTest, SliceHasAtMostTwoColons) { EXPECT_NE(ParseError("$[1:2:3:4]"), ""); }

TEST(SyntaxTest, IndexAndSliceNumbersMustBeIntegers) {
  for (const char* expr : {"$[1.0]", "$[1e2]", "$[0:1.5]", "$[::1e1]", "$[3.14156:]"}) {
    EXPECT_THAT(ParseError(expr), HasSubstr("expected an integer")) << expr;
  }
}

TEST(SyntaxTest, ArbitrarilyLargeIndexParses) {
  EXPECT_EQ(ParseError("$[99999999999999999999999999999999999999999]"), "");
  EXPECT_EQ(ParseError("$[-99999999999999999999999999999999999999999:99999999999999999999:-99999999999999999999]"), "");
}

TEST(SyntaxTest, NodeSubscriptAndCallArgumentsTakePaths) {
  EXPECT_EQ(ParseError("$[$.a[0], @..b, 1]"), "");
  EXPECT_EQ(ParseError("$.s.substring($.a, @.b[*])"), "");
}

TEST(SyntaxTest, ParenthesesGroupExpressionsOnly) {
  EXPECT_EQ(ParseError("$[?(((@.a)))]"), "");
  EXPECT_NE(ParseError("$[?((@.a) = 1)]"), "");
}

}  // namespace
}  // namespace pn::jsonpath::testing
