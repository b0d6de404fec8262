// Evaluation errors (spec §8): slice step 0 and contains on unsupported types; results before the
// error stay available as `partial`; Matches reports an error only before the first result.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

using ::testing::HasSubstr;

TEST(RuntimeErrorTest, ResultsBeforeTheErrorArePartial) {
  auto path = Parse(R"($[*][?(@ contains "a")])");
  ASSERT_TRUE(path.ok());
  std::vector<Match> partial;
  auto result = Evaluate(**path, J(R"(["ab", 1, "ca"])"), &partial);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(),
            "jsonpath evaluation error: contains: argument of type 'int' is not iterable");
  ASSERT_EQ(partial.size(), 1u);
  EXPECT_EQ(partial[0].path, "$[0]");
  EXPECT_EQ(partial[0].value, "ab");
}

TEST(RuntimeErrorTest, StringContainsNonStringIsAnError) {
  EXPECT_EQ(RunExpr("$[?(@.s contains 1)]", R"({"s": "a1"})").error,
            "jsonpath evaluation error: contains: 'in <string>' requires string as left operand, "
            "not int");
}

TEST(RuntimeErrorTest, ContainsOnNumberBoolNullIsAnError) {
  EXPECT_EQ(RunExpr("$[?(@.a contains 1)]", R"({"a": 5})").error,
            "jsonpath evaluation error: contains: argument of type 'int' is not iterable");
  EXPECT_THAT(RunExpr("$[?(@.a contains 1)]", R"({"a": true})").error, HasSubstr("'bool'"));
  EXPECT_THAT(RunExpr("$[?(@.a contains 1)]", R"({"a": null})").error, HasSubstr("'NoneType'"));
  EXPECT_THAT(RunExpr("$[?(@.a contains 1)]", R"({"a": 1.5})").error, HasSubstr("'float'"));
}

TEST(RuntimeErrorTest, ContainsUnhashableInObjectIsAnError) {
  EXPECT_EQ(RunExpr("$[?(@.o contains [1])]", R"({"o": {"a": 1}})").error,
            "jsonpath evaluation error: contains: unhashable type: 'list'");
  EXPECT_THAT(RunExpr(R"($[?(@.o contains {"a": 1})])", R"({"o": {"a": 1}})").error,
              HasSubstr("unhashable type: 'dict'"));
}

TEST(RuntimeErrorTest, ErrorsOnlyForPairsActuallyCompared) {
  EXPECT_EQ(RunExpr(R"($[?(@.a[*] contains "x")])", R"({"a": ["x", 1]})").error, "");
  EXPECT_NE(RunExpr(R"($[?(@.a[*] contains "x")])", R"({"a": [1, "x"]})").error, "");
}

TEST(RuntimeErrorTest, StepZeroInsideFilterOperand) {
  EXPECT_THAT(RunExpr("$[?(@.a[::0])]", R"({"a": [1]})").error, HasSubstr("slice step"));
  EXPECT_EQ(RunExpr("$[?(@.a[::0])]", R"({"a": {}})").error, "");
}

TEST(RuntimeErrorTest, RemainingLeftValuesAreStillEvaluated) {
  // The first left value (5) is compared; the rest of the left path still runs into step 0.
  EXPECT_NE(RunExpr("$[?(@.x[0,::0] = @.y)]", R"({"x": [5], "y": 6})").error, "");
  EXPECT_EQ(RunExpr("$[?(@.x[0,::0] = @.y)]", R"({"x": [5], "y": 5})").error, "");
}

TEST(RuntimeErrorTest, RightPathIsNotEvaluatedWhenLeftIsEmpty) {
  EXPECT_EQ(RunExpr("$[?(@.missing = @.a[::0])]", R"({"a": [1]})").error, "");
}

TEST(RuntimeErrorTest, FunctionArgumentsAreEvaluatedBeforeAnyCall) {
  EXPECT_NE(RunExpr("$.s.substring($.i[*], $.a[::0])", R"({"s": "ab", "i": [0], "a": [1]})").error,
            "");
}

TEST(RuntimeErrorTest, MatchesReportsErrorBeforeFirstResult) {
  auto path = Parse(R"($[*][?(@ contains "a")])");
  ASSERT_TRUE(path.ok());
  auto before = Matches(**path, J(R"([1, "ab"])"));
  EXPECT_FALSE(before.ok());
  EXPECT_THAT(before.status().message(), HasSubstr("argument of type 'int' is not iterable"));
  auto after = Matches(**path, J(R"(["ab", 1])"));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(*after);
}

TEST(RuntimeErrorTest, EvaluateWithoutPartialStillReportsTheError) {
  auto path = Parse("$[::0]");
  ASSERT_TRUE(path.ok());
  EXPECT_FALSE(Evaluate(**path, J("[1]")).ok());
}

}  // namespace
}  // namespace pn::jsonpath::testing
