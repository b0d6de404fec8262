#include "ingest/group_committer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <set>
#include <thread>

#include "../match/fake_subscription_store.h"
#include "common/time_format.h"
#include "common/uuid.h"
#include "recording_event_store.h"

namespace pn::ingest {
namespace {

using match::testing::FakeSubscriptionStore;
using match::testing::MakeSubscription;
using testing::RecordingEventStore;

// Collects answers; waits for a number of them with a deadline.
class Answers {
 public:
  GroupCommitter::Done Callback() {
    return [this](Result<std::vector<std::string>> r) {
      std::lock_guard<std::mutex> lock(mu_);
      results_.push_back(std::move(r));
      cv_.notify_all();
    };
  }
  bool WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return results_.size() >= n; });
  }
  std::vector<Result<std::vector<std::string>>> results() {
    std::lock_guard<std::mutex> lock(mu_);
    return results_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Result<std::vector<std::string>>> results_;
};

class GroupCommitterTest : public ::testing::Test {
 protected:
  GroupCommitterTest() : clock_(*ParseTimestamp("2026-03-01T10:00:00.123456")), random_(7) {}

  std::unique_ptr<GroupCommitter> Make(GroupCommitterOptions options = {}) {
    EXPECT_TRUE(index_.Sync().ok());
    return std::make_unique<GroupCommitter>(events_, index_, clock_, random_,
                                            [this] { ++notified_; }, options);
  }

  FakeSubscriptionStore subs_;
  match::SubscriptionIndex index_{subs_};
  RecordingEventStore events_;
  ManualClock clock_;
  SeededRandom random_;
  std::atomic<int> notified_{0};
};

Json Event(const char* type) { return Json{{"eventType", type}, {"data", Json::array({1})}}; }

TEST_F(GroupCommitterTest, StoresEventWithPythonJsonAndClockTime) {
  auto committer = Make();
  Answers answers;
  committer->Submit({Json::parse(R"({"b": "\u00e9", "a": 1.0})")}, answers.Callback());
  ASSERT_TRUE(answers.WaitFor(1));
  auto result = answers.results()[0];
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->size(), 1u);
  auto stored = events_.events();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].uuid, (*result)[0]);
  EXPECT_TRUE(CanonicalUuid(stored[0].uuid).ok());
  EXPECT_EQ(stored[0].jsondata, R"({"b": "\u00e9", "a": 1.0})");
  EXPECT_EQ(stored[0].created, clock_.Now());
}

TEST_F(GroupCommitterTest, MatchingSubscriptionsGetPendingDeliveriesDueNow) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, R"($[?(@.eventType = "a")])")).ok());
  ASSERT_TRUE(subs_.Insert(MakeSubscription(2, R"($[?(@.eventType = "b")])")).ok());
  ASSERT_TRUE(subs_.Insert(MakeSubscription(3, "$.data")).ok());
  auto committer = Make();
  Answers answers;
  committer->Submit({Event("a")}, answers.Callback());
  ASSERT_TRUE(answers.WaitFor(1));
  committer->Stop();
  const std::string event_uuid = answers.results()[0]->at(0);
  auto deliveries = events_.deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].subscription_uuid, MakeSubscription(1, "").uuid);
  EXPECT_EQ(deliveries[1].subscription_uuid, MakeSubscription(3, "").uuid);
  for (const auto& d : deliveries) {
    EXPECT_EQ(d.event_uuid, event_uuid);
    EXPECT_EQ(d.state, DeliveryState::kPending);
    EXPECT_EQ(d.attempts, 0);
    EXPECT_EQ(d.next_attempt_at, clock_.Now());
    EXPECT_EQ(d.created, clock_.Now());
    EXPECT_TRUE(CanonicalUuid(d.uuid).ok());
    EXPECT_NE(d.uuid, event_uuid);
  }
  EXPECT_EQ(notified_.load(), 1);
}

TEST_F(GroupCommitterTest, NoMatchStoresEventWithoutDeliveriesAndDoesNotNotify) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, R"($[?(@.eventType = "a")])")).ok());
  auto committer = Make();
  Answers answers;
  committer->Submit({Event("z")}, answers.Callback());
  ASSERT_TRUE(answers.WaitFor(1));
  committer->Stop();
  EXPECT_EQ(events_.events().size(), 1u);
  EXPECT_TRUE(events_.deliveries().empty());
  EXPECT_EQ(notified_.load(), 0);
}

TEST_F(GroupCommitterTest, SubscriptionAddedInTheStoreIsSeenByTheNextBatch) {
  auto committer = Make();
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, "$.data")).ok());  // after the index was built
  Answers answers;
  committer->Submit({Event("a")}, answers.Callback());
  ASSERT_TRUE(answers.WaitFor(1));
  committer->Stop();
  EXPECT_EQ(events_.deliveries().size(), 1u);
}

TEST_F(GroupCommitterTest, ConcurrentSubmitsShareTransactionsAndAllAreAnswered) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, "$.data")).ok());
  auto committer = Make();
  Answers answers;
  events_.CloseGate();
  committer->Submit({Event("first")}, answers.Callback());
  ASSERT_TRUE(events_.WaitForAppendsEntered(1));
  // While the first transaction is held, 8 threads submit 25 requests each.
  std::vector<std::thread> senders;
  for (int t = 0; t < 8; ++t) {
    senders.emplace_back([&] {
      for (int i = 0; i < 25; ++i) committer->Submit({Event("x")}, answers.Callback());
    });
  }
  for (auto& s : senders) s.join();
  events_.OpenGate();
  ASSERT_TRUE(answers.WaitFor(201));
  committer->Stop();

  std::set<std::string> uuids;
  for (const auto& r : answers.results()) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), 1u);
    uuids.insert(r->at(0));
  }
  EXPECT_EQ(uuids.size(), 201u);
  EXPECT_EQ(events_.append_sizes(), (std::vector<size_t>{1, 200}));
  EXPECT_EQ(events_.deliveries().size(), 201u);
  auto stats = committer->stats();
  EXPECT_EQ(stats.transactions, 2);
  EXPECT_EQ(stats.events, 201);
  EXPECT_EQ(stats.deliveries, 201);
}

TEST_F(GroupCommitterTest, BatchSizeIsBoundedWithoutSplittingRequests) {
  auto committer = Make(GroupCommitterOptions{.max_batch_events = 3});
  Answers answers;
  events_.CloseGate();
  committer->Submit({Event("first")}, answers.Callback());
  ASSERT_TRUE(events_.WaitForAppendsEntered(1));
  committer->Submit({Event("a"), Event("b")}, answers.Callback());
  committer->Submit({Event("c"), Event("d")}, answers.Callback());
  committer->Submit({Event("e")}, answers.Callback());
  events_.OpenGate();
  ASSERT_TRUE(answers.WaitFor(4));
  committer->Stop();
  EXPECT_EQ(events_.append_sizes(), (std::vector<size_t>{1, 2, 3}));
  auto results = answers.results();
  EXPECT_EQ(results[1]->size(), 2u);
  EXPECT_EQ(results[2]->size(), 2u);
}

TEST_F(GroupCommitterTest, StoreFailureAnswersEveryRequestOfTheBatchWithUnavailable) {
  ASSERT_TRUE(subs_.Insert(MakeSubscription(1, "$.data")).ok());
  auto committer = Make();
  Answers answers;
  events_.CloseGate();
  committer->Submit({Event("first")}, answers.Callback());
  ASSERT_TRUE(events_.WaitForAppendsEntered(1));
  for (int i = 0; i < 5; ++i) committer->Submit({Event("x")}, answers.Callback());
  events_.FailWith(UnavailableError("disk I/O error"));
  events_.OpenGate();
  ASSERT_TRUE(answers.WaitFor(6));
  committer->Stop();
  for (const auto& r : answers.results()) {
    EXPECT_EQ(r.status(), UnavailableError("the event could not be stored, so it was not "
                                           "accepted; retry later (disk I/O error)"));
  }
  EXPECT_TRUE(events_.events().empty());
  EXPECT_EQ(notified_.load(), 0);
  EXPECT_EQ(committer->stats().failed_transactions, 2);
}

TEST_F(GroupCommitterTest, StopCommitsWhatIsQueuedThenRefuses) {
  auto committer = Make();
  Answers answers;
  events_.CloseGate();
  committer->Submit({Event("first")}, answers.Callback());
  ASSERT_TRUE(events_.WaitForAppendsEntered(1));
  committer->Submit({Event("queued")}, answers.Callback());
  std::thread stopper([&] { committer->Stop(); });
  events_.OpenGate();
  stopper.join();
  ASSERT_TRUE(answers.WaitFor(2));
  EXPECT_EQ(events_.events().size(), 2u);
  committer->Submit({Event("late")}, answers.Callback());
  ASSERT_TRUE(answers.WaitFor(3));
  EXPECT_EQ(answers.results()[2].status(),
            UnavailableError("the server is shutting down and accepts no more events; retry "
                             "later"));
}

}  // namespace
}  // namespace pn::ingest
