// RetryPolicy: the schedule, jitter bounds, Retry-After and exhaustion.
#include "delivery/retry_policy.h"

#include <gtest/gtest.h>

namespace pn::delivery {
namespace {

using std::chrono::seconds;

const Timestamp kNow = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1);

// Always answers the same unit value.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double unit) : value_(static_cast<uint64_t>(unit * 0x1.0p53) << 11) {}
  uint64_t NextU64() override { return value_; }

 private:
  uint64_t value_;
};

TEST(RetryPolicyTest, DefaultScheduleIsTheDocumentedOne) {
  std::vector<Duration> expected = {seconds(5),     seconds(30),    seconds(120),
                                    seconds(600),   seconds(1800),  seconds(3600),
                                    seconds(10800), seconds(21600), seconds(43200)};
  EXPECT_EQ(RetryPolicy::DefaultSchedule(), expected);
}

TEST(RetryPolicyTest, WithoutJitterFollowsTheScheduleExactly) {
  FixedRandom random(0.9);
  RetryPolicy policy(RetryPolicy::DefaultSchedule(), 0.0, random);
  auto schedule = RetryPolicy::DefaultSchedule();
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    EXPECT_EQ(policy.NextAttemptAt(static_cast<int>(i) + 1, std::nullopt, kNow),
              kNow + schedule[i]);
  }
}

TEST(RetryPolicyTest, ExhaustedAfterTheLastStep) {
  SeededRandom random(1);
  RetryPolicy policy(RetryPolicy::DefaultSchedule(), 0.2, random);
  EXPECT_EQ(policy.NextAttemptAt(10, std::nullopt, kNow), std::nullopt);
  EXPECT_NE(policy.NextAttemptAt(9, std::nullopt, kNow), std::nullopt);
}

TEST(RetryPolicyTest, JitterStaysWithinTwentyPercent) {
  SeededRandom random(42);
  RetryPolicy policy({seconds(100)}, 0.2, random);
  Duration lo = seconds(1000), hi = seconds(0);
  for (int i = 0; i < 2000; ++i) {
    Duration wait = *policy.NextAttemptAt(1, std::nullopt, kNow) - kNow;
    lo = std::min(lo, wait);
    hi = std::max(hi, wait);
  }
  EXPECT_GE(lo, seconds(80));
  EXPECT_LE(hi, seconds(120));
  EXPECT_LT(lo, seconds(85));  // the spread is really used
  EXPECT_GT(hi, seconds(115));
}

TEST(RetryPolicyTest, JitterExtremesComeFromTheRandomSource) {
  FixedRandom low(0.0), high(0.999999);
  RetryPolicy at_low({seconds(100)}, 0.2, low), at_high({seconds(100)}, 0.2, high);
  EXPECT_EQ(*at_low.NextAttemptAt(1, std::nullopt, kNow) - kNow, seconds(80));
  Duration top = *at_high.NextAttemptAt(1, std::nullopt, kNow) - kNow;
  EXPECT_GT(top, seconds(119));
  EXPECT_LE(top, seconds(120));
}

TEST(RetryPolicyTest, RetryAfterIsNeverUndercut) {
  FixedRandom random(0.5);
  RetryPolicy policy({seconds(5), seconds(30), seconds(600)}, 0.2, random);
  EXPECT_EQ(policy.NextAttemptAt(1, seconds(90), kNow), kNow + seconds(90));
}

TEST(RetryPolicyTest, RetryAfterShorterThanTheStepKeepsTheStep) {
  FixedRandom random(0.5);
  RetryPolicy policy({seconds(5), seconds(30), seconds(600)}, 0.2, random);
  EXPECT_EQ(policy.NextAttemptAt(2, seconds(1), kNow), kNow + seconds(30));
}

TEST(RetryPolicyTest, RetryAfterIsCappedToTheLargestStep) {
  FixedRandom random(0.5);
  RetryPolicy policy({seconds(5), seconds(30), seconds(600)}, 0.2, random);
  EXPECT_EQ(policy.NextAttemptAt(1, seconds(86400), kNow), kNow + seconds(600));
}

TEST(RetryPolicyTest, FractionalStepsAreKept) {
  FixedRandom random(0.5);
  RetryPolicy policy({std::chrono::milliseconds(1500)}, 0.2, random);
  EXPECT_EQ(policy.NextAttemptAt(1, std::nullopt, kNow), kNow + std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace pn::delivery
