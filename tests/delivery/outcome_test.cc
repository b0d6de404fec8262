// Outcome classification, Retry-After parsing and stored response text.
#include "delivery/outcome.h"

#include <gtest/gtest.h>

namespace pn::delivery {
namespace {

using std::chrono::seconds;

outbound::OutboundResponse Answer(int status, std::string body = "",
                                  outbound::HeaderList headers = {}) {
  outbound::OutboundResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

outbound::OutboundResponse NoAnswer(std::string error) {
  outbound::OutboundResponse r;
  r.error = std::move(error);
  return r;
}

// 2026-01-01T00:00:00Z
const Timestamp kNow = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1);

TEST(PolicyOutcomeTest, TwoHundredProceeds) {
  EXPECT_EQ(ClassifyPolicyResponse(Answer(200, "ok")).verdict, Verdict::kProceed);
}

TEST(PolicyOutcomeTest, FourTwelveDeniesWithBody) {
  Outcome o = ClassifyPolicyResponse(Answer(412, "Precondition Failed"));
  EXPECT_EQ(o.verdict, Verdict::kDenied);
  EXPECT_EQ(o.failure, "Precondition Failed");
}

TEST(PolicyOutcomeTest, FiveHundredRetries) {
  Outcome o = ClassifyPolicyResponse(Answer(500, R"({"message": "policy boom"})"));
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.failure, R"({"message": "policy boom"})");
}

TEST(PolicyOutcomeTest, TransportErrorRetriesWithItsText) {
  Outcome o = ClassifyPolicyResponse(NoAnswer("Connection refused"));
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.failure, "Connection refused");
}

TEST(TargetOutcomeTest, TwoHundredDelivers) {
  EXPECT_EQ(ClassifyTargetResponse(Answer(204), kNow).verdict, Verdict::kDelivered);
}

TEST(TargetOutcomeTest, GoneFailsAndDisables) {
  Outcome o = ClassifyTargetResponse(Answer(410, "gone for good"), kNow);
  EXPECT_EQ(o.verdict, Verdict::kFailAndDisable);
  EXPECT_EQ(o.failure, "gone for good");
}

TEST(TargetOutcomeTest, NotModifiedRetriesAndNamesTheEmptyBody) {
  Outcome o = ClassifyTargetResponse(Answer(304), kNow);
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.failure, "the target answered HTTP 304 with an empty body");
}

TEST(TargetOutcomeTest, TooManyRequestsHonoursRetryAfterSeconds) {
  Outcome o = ClassifyTargetResponse(Answer(429, "slow down", {{"retry-after", "120"}}), kNow);
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.retry_after, seconds(120));
}

TEST(TargetOutcomeTest, ServiceUnavailableHonoursRetryAfterDate) {
  Outcome o = ClassifyTargetResponse(
      Answer(503, "down", {{"Retry-After", "Thu, 01 Jan 2026 00:10:00 GMT"}}), kNow);
  EXPECT_EQ(o.retry_after, seconds(600));
}

TEST(TargetOutcomeTest, RetryAfterIgnoredOnOtherStatuses) {
  Outcome o = ClassifyTargetResponse(Answer(500, "x", {{"Retry-After", "120"}}), kNow);
  EXPECT_EQ(o.retry_after, std::nullopt);
}

TEST(RetryAfterTest, ParsesTheThreeHttpDateForms) {
  EXPECT_EQ(ParseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", kNow), seconds(30));
  EXPECT_EQ(ParseRetryAfter("Thursday, 01-Jan-26 00:00:30 GMT", kNow), seconds(30));
  EXPECT_EQ(ParseRetryAfter("Thu Jan  1 00:00:30 2026", kNow), seconds(30));
}

TEST(RetryAfterTest, PastDateIsZeroGarbageIsNothing) {
  EXPECT_EQ(ParseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", kNow), seconds(0));
  EXPECT_EQ(ParseRetryAfter("soon", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
}

TEST(StoredTextTest, CutsAtACharacterBoundary) {
  EXPECT_EQ(StoredText("ab\xC3\xA9", 3), "ab");
  EXPECT_EQ(StoredText("ab\xC3\xA9", 4), "ab\xC3\xA9");
}

TEST(StoredTextTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(StoredText("a\xFF"
                       "b",
                       100),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(StoredText("\xC0\xAF", 100), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

}  // namespace
}  // namespace pn::delivery
