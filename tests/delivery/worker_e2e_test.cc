// The worker's own thread with the real CurlMultiClient against scripted servers on loopback:
// end-to-end delivery, isolation of a slow target, timeouts, refused connections, Notify and
// graceful stop. Waits are on conditions with deadlines; time for the schedule is a ManualClock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <condition_variable>
#include <mutex>

#include "delivery/worker.h"
#include "fakes/memory_store.h"
#include "fakes/scripted_server.h"
#include "outbound/curl_multi_client.h"

namespace pn::delivery {
namespace {

using pn::testing::MemoryStore;
using pn::testing::ScriptedResponse;
using pn::testing::ScriptedServer;
using std::chrono::seconds;
using ::testing::StartsWith;

const Timestamp kStart = std::chrono::sys_days(std::chrono::year(2026) / 3 / 1);

class WorkerE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = outbound::CurlMultiClient::Create();
    ASSERT_TRUE(c.ok());
    client_ = std::move(c).value();
  }
  void TearDown() override {
    worker_.reset();  // before the client and the servers
    client_.reset();
  }

  WorkerOptions Options() {
    WorkerOptions o;
    o.owner = "e2e";
    o.policy_url = policy_.Url("/");
    o.jitter = 0.0;
    o.idle_recheck = std::chrono::hours(1);  // only Notify() and answers wake the loop
    o.on_recorded = [this](const AttemptRecord& r) {
      std::lock_guard lock(mu_);
      records_.push_back(r);
      cv_.notify_all();
    };
    return o;
  }

  void StartWorker(WorkerOptions o) {
    worker_ =
        std::make_unique<Worker>(std::move(o), store_, store_, store_, *client_, clock_, random_);
    worker_->Start();
  }

  bool WaitForRecords(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, seconds(30), [&] { return records_.size() >= n; });
  }

  std::string AddSubscription(const std::string& target, const std::string& user = "alice",
                              std::string auth = "{}") {
    Subscription s;
    s.uuid = Uuid(0x100 + ++counter_);
    s.name = "sub";
    s.jsonpath = "$";
    s.user = user;
    s.target_url = target;
    s.extensions = {{"channel", "e2e"}};
    s.auth = *ParseJson(auth);
    EXPECT_TRUE(store_.Insert(s).ok());
    return s.uuid;
  }

  std::string AddDelivery(const std::string& subscription_uuid,
                          std::string event = R"({"specversion": "1.0", "id": "x"})") {
    int n = ++counter_;
    NewEvent ne;
    ne.event = {Uuid(0x200 + n), std::move(event), clock_.Now()};
    Delivery d;
    d.uuid = Uuid(0x300 + n);
    d.event_uuid = ne.event.uuid;
    d.subscription_uuid = subscription_uuid;
    d.next_attempt_at = clock_.Now();
    ne.deliveries.push_back(d);
    EXPECT_TRUE(store_.Append(std::span<const NewEvent>(&ne, 1)).ok());
    return d.uuid;
  }

  static std::string Uuid(int n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012x", n);
    return buf;
  }

  Delivery Get(const std::string& uuid) { return **store_.FindDelivery(uuid); }

  ScriptedServer policy_;
  ScriptedServer target_;
  MemoryStore store_;
  ManualClock clock_{kStart};
  SeededRandom random_{3};
  std::unique_ptr<outbound::CurlMultiClient> client_;
  std::unique_ptr<Worker> worker_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<AttemptRecord> records_;
  int counter_ = 0;
};

TEST_F(WorkerE2ETest, DeliversEveryPendingDeliveryOverHttp) {
  std::string basic = AddSubscription(target_.Url("/basic"), "bob",
                                      R"({"type": "basic", "basic": {"username": "u",
                                          "password": "p"}})");
  std::string header = AddSubscription(target_.Url("/header"), "carol",
                                       R"({"type": "header", "header": {"type": "Bearer",
                                           "credentials": "tok"}})");
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(AddDelivery(basic));
    ids.push_back(AddDelivery(header));
  }
  policy_.SetDefault({.status = 200, .body = R"({"status": "success"})"});
  target_.SetDefault({.status = 200, .body = "ok"});
  StartWorker(Options());
  ASSERT_TRUE(WaitForRecords(20));
  for (const auto& id : ids) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  EXPECT_EQ(policy_.RequestsTo("/events/bob").size(), 10u);
  EXPECT_EQ(policy_.RequestsTo("/events/carol").size(), 10u);
  auto basic_calls = target_.RequestsTo("/basic");
  ASSERT_EQ(basic_calls.size(), 10u);
  EXPECT_EQ(basic_calls[0].Header("Authorization"), "Basic dTpw");
  EXPECT_EQ(basic_calls[0].Header("Content-Type"), "application/cloudevents+json; charset=utf-8");
  EXPECT_EQ(basic_calls[0].body,
            R"({"specversion": "1.0", "id": "x", "extensions": {"channel": "e2e"}})");
  auto header_calls = target_.RequestsTo("/header");
  ASSERT_EQ(header_calls.size(), 10u);
  EXPECT_EQ(header_calls[0].Header("Authorization"), "Bearer tok");
}

TEST_F(WorkerE2ETest, SlowTargetDoesNotDelayAnotherTarget) {
  ScriptedServer slow;
  slow.Script("/in", {ScriptedResponse{.hold = true}, ScriptedResponse{.hold = true},
                      ScriptedResponse{.status = 200}});
  std::string slow_sub = AddSubscription(slow.Url("/in"));
  std::string fast_sub = AddSubscription(target_.Url("/in"));
  std::vector<std::string> slow_ids, fast_ids;
  for (int i = 0; i < 6; ++i) {
    slow_ids.push_back(AddDelivery(slow_sub));
    fast_ids.push_back(AddDelivery(fast_sub));
  }
  WorkerOptions o = Options();
  o.policy_url = "";
  o.max_in_flight_per_target = 2;
  StartWorker(o);
  ASSERT_TRUE(WaitForRecords(6));  // every fast delivery, while the slow target hangs
  for (const auto& id : fast_ids) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  ASSERT_TRUE(slow.WaitForHeld(2));
  EXPECT_EQ(slow.RequestCount(), 2u);  // its cap: nothing more was sent to it
  slow.ReleaseHeld();
  ASSERT_TRUE(WaitForRecords(12));
  for (const auto& id : slow_ids) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
}

TEST_F(WorkerE2ETest, TargetTimeoutIsRetriedWithTheTimeoutText) {
  target_.Script("/hang", {ScriptedResponse{.hold = true}});
  std::string id = AddDelivery(AddSubscription(target_.Url("/hang")));
  WorkerOptions o = Options();
  o.policy_url = "";
  o.target_timeout = std::chrono::milliseconds(200);
  StartWorker(o);
  ASSERT_TRUE(WaitForRecords(1));
  Delivery d = Get(id);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.next_attempt_at, kStart + seconds(5));
  EXPECT_THAT(records_[0].attempt.error, StartsWith("Operation timed out after"));
}

TEST_F(WorkerE2ETest, RefusedConnectionIsRetried) {
  uint16_t port;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  std::string id = AddDelivery(AddSubscription("http://127.0.0.1:" + std::to_string(port) + "/in"));
  policy_.SetDefault({.status = 200});
  StartWorker(Options());
  ASSERT_TRUE(WaitForRecords(1));
  EXPECT_EQ(Get(id).state, DeliveryState::kPending);
  EXPECT_THAT(records_[0].attempt.error,
              StartsWith("Failed to connect to 127.0.0.1 port " + std::to_string(port)));
}

TEST_F(WorkerE2ETest, NotifyWakesTheWorkerForNewWork) {
  StartWorker(Options());
  policy_.SetDefault({.status = 200});
  std::string id = AddDelivery(AddSubscription(target_.Url("/in")));
  worker_->Notify();
  ASSERT_TRUE(WaitForRecords(1));
  EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
}

TEST_F(WorkerE2ETest, RetryHappensWhenTheClockReachesIt) {
  target_.Script(
      "/in", {ScriptedResponse{.status = 503, .body = "down"}, ScriptedResponse{.status = 200}});
  std::string id = AddDelivery(AddSubscription(target_.Url("/in")));
  WorkerOptions o = Options();
  o.policy_url = "";
  StartWorker(o);
  ASSERT_TRUE(WaitForRecords(1));
  EXPECT_EQ(Get(id).state, DeliveryState::kPending);
  clock_.Advance(seconds(5));
  worker_->Notify();
  ASSERT_TRUE(WaitForRecords(2));
  EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  EXPECT_EQ(Get(id).attempts, 2);
}

TEST_F(WorkerE2ETest, StopWaitsForAnAnswerWithinTheGracePeriod) {
  target_.Script("/in", {ScriptedResponse{.status = 200, .delay = std::chrono::milliseconds(100)}});
  std::string id = AddDelivery(AddSubscription(target_.Url("/in")));
  WorkerOptions o = Options();
  o.policy_url = "";
  StartWorker(o);
  ASSERT_TRUE(target_.WaitForRequests(1));
  worker_->Stop(std::chrono::seconds(20));
  EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
}

TEST_F(WorkerE2ETest, StopAfterTheGracePeriodLeavesTheDeliveryPending) {
  target_.Script("/in", {ScriptedResponse{.hold = true}});
  std::string id = AddDelivery(AddSubscription(target_.Url("/in")));
  WorkerOptions o = Options();
  o.policy_url = "";
  StartWorker(o);
  ASSERT_TRUE(target_.WaitForHeld(1));
  worker_->Stop(std::chrono::milliseconds(0));
  Delivery d = Get(id);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 0);
  EXPECT_TRUE(store_.AttemptsFor(id)->empty());
}

}  // namespace
}  // namespace pn::delivery
