#include "cli/event_retry.h"

#include <gtest/gtest.h>

#include <sstream>

#include "../ingest/recording_event_store.h"
#include "../match/fake_subscription_store.h"
#include "common/time_format.h"

namespace pn::cli {
namespace {

using ingest::testing::RecordingEventStore;
using match::testing::FakeSubscriptionStore;
using match::testing::MakeSubscription;

constexpr char kE1[] = "75be14fa-32b9-4816-a9bb-f0a19e09d36c";
constexpr char kE2[] = "0b5c0ae4-5c1a-4c1b-9d8e-2f61d0d1a001";

class EventRetryTest : public ::testing::Test {
 protected:
  EventRetryTest() : clock_(*ParseTimestamp("2026-11-29T12:00:00")), random_(3) {
    std::vector<NewEvent> rows(2);
    rows[0].event = {kE1, R"({"eventType": "a", "data": 1})", clock_.Now()};
    rows[1].event = {kE2, R"({"eventType": "b"})", clock_.Now()};
    EXPECT_TRUE(events_.Append(rows).ok());
  }

  int Run(std::vector<std::string> uuids) {
    return RunEventRetry(events_, subs_, clock_, random_, uuids, out_, err_);
  }

  RecordingEventStore events_;
  FakeSubscriptionStore subs_;
  ManualClock clock_;
  SeededRandom random_;
  std::ostringstream out_, err_;
};

TEST_F(EventRetryTest, QueuesOnePendingDeliveryPerCurrentMatchAndPrintsIt) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, R"($[?(@.eventType = "a")])")).ok());
  ASSERT_TRUE(subs_.Insert(MakeSubscription(2, "$.data")).ok());
  ASSERT_TRUE(subs_.Insert(MakeSubscription(3, R"($[?(@.eventType = "b")])")).ok());
  Subscription disabled = MakeSubscription(4, "$");
  disabled.disabled = clock_.Now();
  ASSERT_TRUE(subs_.Insert(disabled).ok());

  EXPECT_EQ(Run({kE1, kE2}), 0);
  auto queued = events_.deliveries();
  ASSERT_EQ(queued.size(), 3u);
  EXPECT_EQ(queued[0].event_uuid, kE1);
  EXPECT_EQ(queued[0].subscription_uuid, MakeSubscription(1, "").uuid);
  EXPECT_EQ(queued[1].event_uuid, kE1);
  EXPECT_EQ(queued[1].subscription_uuid, MakeSubscription(2, "").uuid);
  EXPECT_EQ(queued[2].event_uuid, kE2);
  EXPECT_EQ(queued[2].subscription_uuid, MakeSubscription(3, "").uuid);
  std::string expected;
  for (const auto& d : queued) {
    EXPECT_EQ(d.state, DeliveryState::kPending);
    EXPECT_EQ(d.next_attempt_at, clock_.Now());
    expected += d.uuid + " - " + d.subscription_uuid + "\n";
  }
  EXPECT_EQ(out_.str(), expected);
  EXPECT_EQ(err_.str(), "");
}

TEST_F(EventRetryTest, NothingMatchingQueuesNothing) {
  EXPECT_EQ(Run({kE1}), 0);
  EXPECT_TRUE(events_.deliveries().empty());
  EXPECT_EQ(out_.str(), "");
}

TEST_F(EventRetryTest, UnknownEventIsSkippedWithANote) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, "$")).ok());
  EXPECT_EQ(Run({"00000000-0000-4000-8000-000000000000", kE2}), 0);
  EXPECT_EQ(events_.deliveries().size(), 1u);
  EXPECT_EQ(err_.str(), "eventretry: no event 00000000-0000-4000-8000-000000000000, skipped\n");
}

TEST_F(EventRetryTest, MalformedUuidQueuesNothing) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, "$")).ok());
  EXPECT_EQ(Run({kE1, "xyz"}), 1);
  EXPECT_TRUE(events_.deliveries().empty());
  EXPECT_EQ(err_.str().rfind("eventretry: 'xyz' is not an event uuid: ", 0), 0u) << err_.str();
}

TEST_F(EventRetryTest, StoreErrorQueuesNothing) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, "$")).ok());
  subs_.FailWith(UnavailableError("database is locked"));
  EXPECT_EQ(Run({kE1}), 1);
  EXPECT_EQ(err_.str(), "eventretry: database is locked\n");
  EXPECT_TRUE(events_.deliveries().empty());
}

}  // namespace
}  // namespace pn::cli
