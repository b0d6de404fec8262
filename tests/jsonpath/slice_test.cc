// Slices (spec §5.4): defaults 0/len whatever the step, unclamped end that wraps, step 0 error,
// arbitrary-size bounds that cost nothing.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

constexpr const char* kFive = "[0, 1, 2, 3, 4]";
constexpr const char* kTen = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";

TEST(SliceTest, DefaultBoundsNeverReverse) {
  EXPECT_EQ(Values("$[::-1]", kFive), V({}));
  EXPECT_EQ(Values("$[4::-1]", kFive), V({}));
  EXPECT_EQ(Values("$[:2:-1]", kFive), V({}));
}

TEST(SliceTest, ExplicitDescendingRange) {
  Outcome o = RunExpr("$[4:1:-1]", kFive);
  EXPECT_EQ(o.values, V({"4", "3", "2"}));
  EXPECT_EQ(o.paths, V({"$[4]", "$[3]", "$[2]"}));
}

TEST(SliceTest, NegativeEndWrapsAround) {
  Outcome o = RunExpr("$[-1:-10:-1]", kFive);
  EXPECT_EQ(o.values, V({"4", "3", "2", "1", "0", "4", "3", "2", "1"}));
  EXPECT_EQ(o.paths, V({"$[4]", "$[3]", "$[2]", "$[1]", "$[0]", "$[-1]", "$[-2]", "$[-3]", "$[-4]"}));
}

TEST(SliceTest, OmittedStartWithNegativeEndWraps) {
  Outcome o = RunExpr("$[:-8:-1]", kFive);
  EXPECT_EQ(o.values, V({"0", "4", "3"}));
  EXPECT_EQ(o.paths, V({"$[0]", "$[-1]", "$[-2]"}));
}

TEST(SliceTest, StartBelowMinusLengthIsClamped) {
  EXPECT_EQ(Values("$[-15:]", kTen).size(), 10u);
  EXPECT_EQ(Values("$[-5:-3]", kFive), V({"0", "1"}));
}

TEST(SliceTest, EndBeyondBoundsClipsOrEmpties) {
  EXPECT_EQ(Values("$[:-15]", kTen), V({}));
  EXPECT_EQ(Values("$[2:100]", kFive), V({"2", "3", "4"}));
  EXPECT_EQ(Values("$[100:]", kFive), V({}));
}

TEST(SliceTest, StepsSkip) {
  EXPECT_EQ(Values("$[1::2]", kFive), V({"1", "3"}));
  EXPECT_EQ(Values("$[4:0:-2]", kFive), V({"4", "2"}));
}

TEST(SliceTest, EmptyArrayGivesNothing) {
  EXPECT_EQ(Values("$[-1:]", "[]"), V({}));
  EXPECT_EQ(Values("$[0:5:-1]", "[]"), V({}));
}

TEST(SliceTest, NonArraysGiveNothingEvenWithStepZero) {
  EXPECT_EQ(RunExpr("$[::0]", R"({"a": 1})").error, "");
  EXPECT_EQ(RunExpr("$[::0]", R"("abc")").values, V({}));
}

TEST(SliceTest, StepZeroOnArrayIsAnEvaluationError) {
  EXPECT_EQ(RunExpr("$[::0]", kFive).error,
            "jsonpath evaluation error: slice step cannot be zero (Python: range() arg 3 must not "
            "be zero)");
}

TEST(SliceTest, HugeEndCostsNothing) {
  EXPECT_EQ(Values("$[0:99999999999999999999999999]", kFive).size(), 5u);
  EXPECT_EQ(Values("$[0:9223372036854775807]", kFive).size(), 5u);
  EXPECT_EQ(Values("$[-9223372036854775808:9223372036854775807:1]", kFive).size(), 5u);
}

TEST(SliceTest, HugeBoundsBothWaysWrapOncePerSide) {
  Outcome o = RunExpr("$[99999999999999999999:-99999999999999999999:-1]", kFive);
  EXPECT_EQ(o.values, V({"4", "3", "2", "1", "0", "4", "3", "2", "1", "0"}));
  EXPECT_EQ(o.paths.back(), "$[-5]");
}

TEST(SliceTest, HugeStartKeepsItsResidueModuloStep) {
  // 99999999999999999999 is divisible by 3, so the visited indices are ..., 3, 0, -3.
  Outcome o = RunExpr("$[99999999999999999999:-10:-3]", kFive);
  EXPECT_EQ(o.values, V({"3", "0", "2"}));
  EXPECT_EQ(o.paths, V({"$[3]", "$[0]", "$[-3]"}));
}

TEST(SliceTest, Int64MaxStartKeepsItsResidueModuloStep) {
  // 9223372036854775807 % 3 == 1: indices 4, 1, -2.
  Outcome o = RunExpr("$[9223372036854775807:-10:-3]", kFive);
  EXPECT_EQ(o.values, V({"4", "1", "3"}));
  EXPECT_EQ(o.paths, V({"$[4]", "$[1]", "$[-2]"}));
}

TEST(SliceTest, HugeStepsVisitOneIndex) {
  EXPECT_EQ(Values("$[1::99999999999999999999]", kFive), V({"1"}));
  EXPECT_EQ(Values("$[3::-99999999999999999999]", kFive), V({}));  // end defaults to len
  EXPECT_EQ(Values("$[3:-6:-99999999999999999999]", kFive), V({"3"}));
  EXPECT_EQ(Values("$[1::9223372036854775807]", kFive), V({"1"}));
  EXPECT_EQ(Values("$[3:-6:-9223372036854775808]", kFive), V({"3"}));
}

TEST(SliceTest, HugeStepZeroIsStillZero) {
  EXPECT_NE(RunExpr("$[::-0]", kFive).error, "");
}

}  // namespace
}  // namespace pn::jsonpath::testing
