// Worker logic with the scripted FakeHttpClient, the in-memory store and a ManualClock: the
// outcome matrix of upstream §3.7 with our semantics, retries, exhaustion, isolation, leases.
#include "delivery/worker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/memory_store.h"
#include "outbound/fake_http_client.h"

namespace pn::delivery {
namespace {

using pn::testing::FakeHttpClient;
using pn::testing::MemoryStore;
using std::chrono::seconds;

const Timestamp kStart = std::chrono::sys_days(std::chrono::year(2026) / 3 / 1);
constexpr char kPolicy[] = "http://policy:8181";
constexpr char kEvent[] = R"({"eventType": "org.pacifica.metadata.ingest", "eventID": "7"})";

// Forwards to a DeliveryStore and records ReleaseLease calls, so tests see what the worker hands back.
class RecordingDeliveryStore final : public DeliveryStore {
 public:
  explicit RecordingDeliveryStore(DeliveryStore& inner) : inner_(inner) {}
  struct Release {
    std::string uuid, owner;
    Timestamp next;
  };
  std::vector<Release> releases;      // every lease given back, in order
  std::vector<std::size_t> release_calls;  // leases per ReleaseLeases call
  struct Claim {
    int limit;
    std::vector<std::string> skip;
  };
  std::vector<Claim> claims;
  std::vector<std::size_t> record_batches;  // attempts per RecordAttempts call

  Result<std::vector<Delivery>> ClaimDue(Timestamp now, int limit, std::string_view owner,
                                         Timestamp lease_until) override {
    return inner_.ClaimDue(now, limit, owner, lease_until);
  }
  Result<std::vector<Delivery>> ClaimDueSkipping(Timestamp now, int limit, std::string_view owner,
                                                 Timestamp lease_until,
                                                 std::span<const std::string> skip) override {
    claims.push_back({limit, std::vector<std::string>(skip.begin(), skip.end())});
    return inner_.ClaimDueSkipping(now, limit, owner, lease_until, skip);
  }
  Result<std::optional<Timestamp>> NextDueAt() override { return inner_.NextDueAt(); }
  Status RecordAttempt(const Delivery& d, const DeliveryAttempt& a,
                       const std::optional<std::string>& e) override {
    return inner_.RecordAttempt(d, a, e);
  }
  std::vector<Status> RecordAttempts(std::span<const AttemptWrite> items) override {
    record_batches.push_back(items.size());
    return inner_.RecordAttempts(items);
  }
  Status ReleaseLeases(std::span<const LeaseRelease> items, std::string_view owner) override {
    release_calls.push_back(items.size());
    for (const LeaseRelease& r : items) {
      releases.push_back({r.delivery_uuid, std::string(owner), r.next_attempt_at});
    }
    return inner_.ReleaseLeases(items, owner);
  }
  Status ReleaseLease(std::string_view uuid, std::string_view owner, Timestamp next) override {
    releases.push_back({std::string(uuid), std::string(owner), next});
    return inner_.ReleaseLease(uuid, owner, next);
  }
  Result<std::optional<Delivery>> FindDelivery(std::string_view uuid) override {
    return inner_.FindDelivery(uuid);
  }
  Result<std::vector<DeliveryAttempt>> AttemptsFor(std::string_view uuid) override {
    return inner_.AttemptsFor(uuid);
  }
  Result<std::vector<Delivery>> DeliveriesForSubscription(std::string_view uuid,
                                                          int limit) override {
    return inner_.DeliveriesForSubscription(uuid, limit);
  }
  Result<int64_t> CountPending() override { return inner_.CountPending(); }
  Result<PendingSummary> SummarizePending() override { return inner_.SummarizePending(); }

 private:
  DeliveryStore& inner_;
};

class WorkerTest : public ::testing::Test {
 protected:
  WorkerOptions Options() {
    WorkerOptions o;
    o.owner = "worker-a";
    o.policy_url = kPolicy;
    o.jitter = 0.0;  // exact schedule; jitter bounds are RetryPolicy's tests
    return o;
  }

  // No policy call; each target takes one delivery at a time and queues two more (then it is
  // saturated); one delivery per claim. For the saturation tests.
  WorkerOptions OneAtATimeOptions(Duration saturated_claim_pause) {
    WorkerOptions o = Options();
    o.policy_url = "";
    o.max_in_flight_per_target = 1;
    o.max_queued_per_target = 2;
    o.claim_batch = 1;
    o.saturated_claim_pause = saturated_claim_pause;
    return o;
  }

  // `count` pending deliveries for one new subscription delivering to `target`.
  std::vector<std::string> AddBacklog(const std::string& target, int count) {
    std::vector<std::string> ids{AddDelivery(target)};
    const std::string subscription = Get(ids[0]).subscription_uuid;
    for (int i = 1; i < count; ++i) ids.push_back(AddDeliveryFor(subscription));
    return ids;
  }

  std::unique_ptr<Worker> MakeWorker(WorkerOptions o) {
    return std::make_unique<Worker>(std::move(o), recording_, store_, store_, http_, clock_,
                                    random_);
  }

  // A subscription of `user` delivering to `target`, plus one event and its pending delivery.
  std::string AddDelivery(const std::string& target, const std::string& user = "alice",
                          std::string event_json = kEvent) {
    int n = ++counter_;
    Subscription s;
    s.uuid = Uuid(0x100 + n);
    s.name = "sub" + std::to_string(n);
    s.jsonpath = "$";
    s.user = user;
    s.target_url = target;
    s.created = s.updated = clock_.Now();
    EXPECT_TRUE(store_.Insert(s).ok());
    return AddDeliveryFor(s.uuid, std::move(event_json));
  }

  std::string AddDeliveryFor(const std::string& subscription_uuid,
                             std::string event_json = kEvent) {
    int n = ++counter_;
    NewEvent ne;
    ne.event.uuid = Uuid(0x200 + n);
    ne.event.jsondata = std::move(event_json);
    ne.event.created = clock_.Now();
    Delivery d;
    d.uuid = Uuid(0x300 + n);
    d.event_uuid = ne.event.uuid;
    d.subscription_uuid = subscription_uuid;
    d.next_attempt_at = clock_.Now();
    d.created = d.updated = clock_.Now();
    ne.deliveries.push_back(d);
    EXPECT_TRUE(store_.Append(std::span<const NewEvent>(&ne, 1)).ok());
    return d.uuid;
  }

  static std::string Uuid(int n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012x", n);
    return buf;
  }

  Delivery Get(const std::string& uuid) {
    auto d = store_.FindDelivery(uuid);
    EXPECT_TRUE(d.ok() && d->has_value());
    return d.ok() && d->has_value() ? **d : Delivery{};
  }
  std::vector<DeliveryAttempt> Attempts(const std::string& uuid) {
    return store_.AttemptsFor(uuid).value_or({});
  }
  Subscription SubOf(const std::string& delivery_uuid) {
    return *store_.Find(Get(delivery_uuid).subscription_uuid).value();
  }
  std::string PolicyFor(const std::string& user) {
    return std::string(kPolicy) + "/events/" + user;
  }

  MemoryStore store_;
  RecordingDeliveryStore recording_{store_};
  FakeHttpClient http_;
  ManualClock clock_{kStart};
  SeededRandom random_{7};
  int counter_ = 0;
};

TEST_F(WorkerTest, PolicyOkTargetOkIsDeliveredAndRecorded) {
  std::string id = AddDelivery("http://t1/ok");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200, R"({"status": "success"})")});
  http_.Script("http://t1/ok", {FakeHttpClient::Status(200, R"({"got": "it"})")});
  auto w = MakeWorker(Options());
  w->RunOnce();
  Delivery d = Get(id);
  EXPECT_EQ(d.state, DeliveryState::kDelivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.policy_status_code, "200");
  EXPECT_EQ(d.policy_resp_body, R"({"status": "success"})");
  EXPECT_EQ(d.target_status_code, "200");
  EXPECT_EQ(d.target_resp_body, R"({"got": "it"})");
  EXPECT_TRUE(d.lease_owner.empty());
  auto attempts = Attempts(id);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].number, 1);
  EXPECT_EQ(attempts[0].policy_status, 200);
  EXPECT_EQ(attempts[0].target_status, 200);
  EXPECT_EQ(attempts[0].duration, std::chrono::milliseconds(6));
  EXPECT_EQ(attempts[0].error, "");
  // The policy saw the event as stored; the target the merged event.
  auto policy_calls = http_.RequestsTo(PolicyFor("alice"));
  ASSERT_EQ(policy_calls.size(), 1u);
  EXPECT_EQ(policy_calls[0].body, kEvent);
  auto target_calls = http_.RequestsTo("http://t1/ok");
  ASSERT_EQ(target_calls.size(), 1u);
  EXPECT_EQ(target_calls[0].body,
            R"({"eventType": "org.pacifica.metadata.ingest", "eventID": "7", "extensions": {}})");
}

TEST_F(WorkerTest, PolicyDenialIsRecordedAndTargetNotCalled) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(412, "Precondition Failed")});
  MakeWorker(Options())->RunOnce();
  Delivery d = Get(id);
  EXPECT_EQ(d.state, DeliveryState::kDenied);
  EXPECT_EQ(d.policy_status_code, "412");
  EXPECT_EQ(d.policy_resp_body, "Precondition Failed");
  EXPECT_EQ(d.target_status_code, "");
  EXPECT_TRUE(http_.RequestsTo("http://t1/x").empty());
  EXPECT_TRUE(SubOf(id).active());
}

TEST_F(WorkerTest, PolicyServerErrorRetriesAndNeverDisables) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(500, R"({"message": "policy boom"})")});
  auto w = MakeWorker(Options());
  w->RunOnce();
  Delivery d = Get(id);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.next_attempt_at, kStart + seconds(5));
  EXPECT_EQ(d.policy_status_code, "500");
  EXPECT_TRUE(SubOf(id).active());
  EXPECT_TRUE(http_.RequestsTo("http://t1/x").empty());
}

TEST_F(WorkerTest, PolicyOutageExhaustingRetriesFailsWithoutDisabling) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::TransportError("Connection refused")});
  WorkerOptions o = Options();
  o.retry_schedule = {seconds(5), seconds(30)};
  auto w = MakeWorker(o);
  w->RunOnce();
  clock_.Advance(seconds(5));
  w->RunOnce();
  clock_.Advance(seconds(30));
  w->RunOnce();
  Delivery d = Get(id);
  EXPECT_EQ(d.state, DeliveryState::kFailed);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_TRUE(SubOf(id).active());
  EXPECT_FALSE(SubOf(id).error.has_value());
  EXPECT_EQ(Attempts(id).back().error, "Connection refused");
}

TEST_F(WorkerTest, TargetNotFoundRetriesOnTheSchedule) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(404, "target not found")});
  auto w = MakeWorker(Options());
  w->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kPending);
  EXPECT_EQ(Get(id).next_attempt_at, kStart + seconds(5));
  EXPECT_EQ(Get(id).target_status_code, "404");
  EXPECT_EQ(Get(id).target_resp_body, "target not found");
  // Not due yet: nothing happens.
  clock_.Advance(seconds(4));
  w->RunOnce();
  EXPECT_EQ(http_.RequestsTo("http://t1/x").size(), 1u);
  clock_.Advance(seconds(1));
  w->RunOnce();
  EXPECT_EQ(http_.RequestsTo("http://t1/x").size(), 2u);
  EXPECT_EQ(Get(id).attempts, 2);
  EXPECT_EQ(Get(id).next_attempt_at, kStart + seconds(5) + seconds(30));
  EXPECT_TRUE(SubOf(id).active());
}

TEST_F(WorkerTest, ExhaustionFailsAndDisablesWithTheLastBody) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(503, "target down"),
                               FakeHttpClient::Status(500, "still down")});
  WorkerOptions o = Options();
  o.retry_schedule = {seconds(5)};
  auto w = MakeWorker(o);
  w->RunOnce();
  clock_.Advance(seconds(5));
  w->RunOnce();
  Delivery d = Get(id);
  EXPECT_EQ(d.state, DeliveryState::kFailed);
  EXPECT_EQ(d.attempts, 2);
  Subscription s = SubOf(id);
  EXPECT_EQ(s.disabled, kStart + seconds(5));  // the time the last attempt was concluded
  EXPECT_EQ(s.error, "still down");
}

TEST_F(WorkerTest, ExhaustionByTransportErrorDisablesWithItsText) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script(
      "http://t1/x",
      {FakeHttpClient::TransportError("Failed to connect to t1 port 80: Connection refused")});
  WorkerOptions o = Options();
  o.retry_schedule = {};
  MakeWorker(o)->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kFailed);
  EXPECT_EQ(Get(id).target_status_code, "");
  EXPECT_EQ(SubOf(id).error, "Failed to connect to t1 port 80: Connection refused");
  EXPECT_EQ(Attempts(id)[0].error, "Failed to connect to t1 port 80: Connection refused");
}

TEST_F(WorkerTest, NotModifiedIsRetriedNotDelivered) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(304)});
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kPending);
  EXPECT_EQ(Get(id).target_status_code, "304");
}

TEST_F(WorkerTest, GoneFailsAndDisablesAtOnce) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(410, "unsubscribed")});
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kFailed);
  EXPECT_EQ(Get(id).attempts, 1);
  EXPECT_EQ(SubOf(id).error, "unsubscribed");
  EXPECT_TRUE(SubOf(id).disabled.has_value());
}

TEST_F(WorkerTest, TooManyRequestsWaitsForRetryAfter) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(429, "slow down", {{"Retry-After", "300"}})});
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kPending);
  EXPECT_EQ(Get(id).next_attempt_at, kStart + seconds(300));
}

TEST_F(WorkerTest, InvalidTargetUrlIsRetriedWithTheClientError) {
  std::string id = AddDelivery("notaurl");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("notaurl", {FakeHttpClient::TransportError("invalid URL 'notaurl': no scheme")});
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kPending);
  EXPECT_EQ(Attempts(id)[0].error, "invalid URL 'notaurl': no scheme");
}

TEST_F(WorkerTest, WithoutPolicyUrlGoesStraightToTheTarget) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script("http://t1/x", {FakeHttpClient::Status(202)});
  WorkerOptions o = Options();
  o.policy_url = "";
  MakeWorker(o)->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  EXPECT_EQ(Get(id).policy_status_code, "");
  EXPECT_EQ(http_.Requests().size(), 1u);
}

TEST_F(WorkerTest, UserIsPercentEncodedInThePolicyPath) {
  AddDelivery("http://t1/x", "a b/c");
  http_.Script(std::string(kPolicy) + "/events/a%20b%2Fc", {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(200)});
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(http_.RequestsTo(std::string(kPolicy) + "/events/a%20b%2Fc").size(), 1u);
}

TEST_F(WorkerTest, SubscriptionDisabledAfterTheEventArrivedGetsNoCall) {
  std::string id = AddDelivery("http://t1/x");
  ASSERT_TRUE(store_.Disable(Get(id).subscription_uuid, clock_.Now(), "by hand").ok());
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kFailed);
  EXPECT_EQ(Attempts(id)[0].error, "subscription disabled/deleted before delivery");
  EXPECT_TRUE(http_.Requests().empty());
}

TEST_F(WorkerTest, SubscriptionDeletedAfterTheEventArrivedGetsNoCall) {
  std::string id = AddDelivery("http://t1/x");
  Subscription s = SubOf(id);
  s.deleted = clock_.Now();
  ASSERT_TRUE(store_.Update(s).ok());
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kFailed);
  EXPECT_EQ(Attempts(id)[0].error, "subscription disabled/deleted before delivery");
  EXPECT_TRUE(http_.Requests().empty());
}

TEST_F(WorkerTest, UnmergeableEventFailsWithAClearErrorAndNoCall) {
  std::string id = AddDelivery("http://t1/x", "alice", R"({"extensions": null})");
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kFailed);
  EXPECT_EQ(Attempts(id)[0].error,
            "cannot deliver: cannot merge extensions: the event's extensions is a JSON null, "
            "not an object");
  EXPECT_TRUE(http_.Requests().empty());
  EXPECT_TRUE(SubOf(id).active());
}

TEST_F(WorkerTest, StoredEventThatIsNotJsonFailsWithAClearError) {
  std::string id = AddDelivery("http://t1/x", "alice", "{nope");
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kFailed);
  EXPECT_THAT(Attempts(id)[0].error,
              ::testing::StartsWith("cannot deliver: the stored event is not valid JSON: "));
  EXPECT_TRUE(http_.Requests().empty());
}

TEST_F(WorkerTest, ResponseBodiesAreTruncatedToTheLimit) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200, std::string(50, 'p'))});
  http_.Script("http://t1/x", {FakeHttpClient::Status(200, std::string(50, 't'))});
  WorkerOptions o = Options();
  o.response_body_limit = 10;
  MakeWorker(o)->RunOnce();
  EXPECT_EQ(Get(id).policy_resp_body, std::string(10, 'p'));
  EXPECT_EQ(Get(id).target_resp_body, std::string(10, 't'));
  EXPECT_EQ(http_.RequestsTo("http://t1/x")[0].max_response_bytes, 10u);
}

TEST_F(WorkerTest, PerTargetCapHoldsBackOnlyThatTarget) {
  http_.SetManual(true);
  std::vector<std::string> slow, fast;
  for (int i = 0; i < 5; ++i) slow.push_back(AddDelivery("http://slow:81/in"));
  for (int i = 0; i < 3; ++i) fast.push_back(AddDelivery("http://fast:82/in"));
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://fast:82/in", {FakeHttpClient::Status(200)});
  http_.Script("http://slow:81/in", {FakeHttpClient::Status(200)});
  WorkerOptions o = Options();
  o.policy_url = "";
  o.max_in_flight_per_target = 2;
  auto w = MakeWorker(o);
  w->RunOnce();
  EXPECT_EQ(http_.PendingCountFor("http://slow:81/in"), 2u);
  EXPECT_EQ(http_.PendingCountFor("http://fast:82/in"), 2u);
  // The fast target completes while the slow one still holds both its slots.
  while (http_.CompleteNext("http://fast:82/in")) w->RunOnce();
  for (const auto& id : fast) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  EXPECT_EQ(http_.PendingCountFor("http://slow:81/in"), 2u);
  EXPECT_EQ(w->stats().queued, 3);
  // Each slow completion frees a slot for the next one.
  ASSERT_TRUE(http_.CompleteNext("http://slow:81/in"));
  w->RunOnce();
  EXPECT_EQ(http_.PendingCountFor("http://slow:81/in"), 2u);
  while (http_.CompleteNext("http://slow:81/in")) w->RunOnce();
  for (const auto& id : slow) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
}

TEST_F(WorkerTest, GlobalCapLimitsClaims) {
  http_.SetManual(true);
  for (int i = 0; i < 5; ++i) AddDelivery("http://t" + std::to_string(i) + "/in");
  WorkerOptions o = Options();
  o.policy_url = "";
  o.max_in_flight = 3;
  auto w = MakeWorker(o);
  w->RunOnce();
  EXPECT_EQ(http_.PendingCount(), 3u);
  EXPECT_EQ(store_.CountPending().value(), 5);
}

TEST_F(WorkerTest, ClaimsLeaseForTheWorstCaseAttempt) {
  http_.SetManual(true);
  std::string id = AddDelivery("http://t1/x");
  WorkerOptions o = Options();
  auto w = MakeWorker(o);
  w->RunOnce();
  Delivery d = Get(id);
  EXPECT_EQ(d.lease_owner, "worker-a");
  EXPECT_EQ(d.lease_expires, kStart + w->LeaseDuration());
  EXPECT_GT(w->LeaseDuration(), o.policy_timeout + o.target_timeout);
}

TEST_F(WorkerTest, ResumesPendingWorkIncludingExpiredLeasesAfterACrash) {
  std::string done_before = AddDelivery("http://t1/x");
  std::string leased = AddDelivery("http://t1/x");
  // A previous process claimed `leased` and died.
  auto dead = store_.ClaimDue(clock_.Now(), 1, "dead-process", clock_.Now() + seconds(60));
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(200)});
  auto w = MakeWorker(Options());
  w->RunOnce();
  std::string still_leased = (*dead)[0].uuid;
  std::string free_one = still_leased == done_before ? leased : done_before;
  EXPECT_EQ(Get(free_one).state, DeliveryState::kDelivered);
  EXPECT_EQ(Get(still_leased).state, DeliveryState::kPending);  // lease still holds
  clock_.Advance(seconds(60));
  w->RunOnce();
  EXPECT_EQ(Get(still_leased).state, DeliveryState::kDelivered);
}

TEST_F(WorkerTest, GracefulStopRecordsWhatFinishesAndHandsBackTheRest) {
  http_.SetManual(true);
  std::string a = AddDelivery("http://t1/x");
  std::string b = AddDelivery("http://t2/x");
  std::string queued = AddDelivery("http://t1/x");
  http_.Script("http://t1/x", {FakeHttpClient::Status(200)});
  http_.Script("http://t2/x", {FakeHttpClient::Status(200)});
  WorkerOptions o = Options();
  o.policy_url = "";
  o.max_in_flight_per_target = 1;
  auto w = MakeWorker(o);
  w->RunOnce();
  ASSERT_EQ(http_.PendingCount(), 2u);
  ASSERT_TRUE(http_.CompleteNext("http://t1/x"));  // finished before the stop: recorded
  w->Stop(std::chrono::milliseconds(0));
  EXPECT_EQ(Get(a).state, DeliveryState::kDelivered);
  EXPECT_EQ(Get(b).state, DeliveryState::kPending);
  EXPECT_EQ(Get(queued).state, DeliveryState::kPending);
  // `queued` was never started and `b` did not finish: both leases handed back.
  ASSERT_EQ(recording_.releases.size(), 2u);
  EXPECT_EQ(recording_.releases[0].uuid, queued);
  EXPECT_EQ(recording_.releases[1].uuid, b);
  EXPECT_EQ(recording_.releases[1].owner, "worker-a");
  EXPECT_EQ(recording_.releases[1].next, Get(b).next_attempt_at);
  // A late answer after the stop changes nothing; no new claims happen.
  http_.CompleteAll();
  w->RunOnce();
  EXPECT_EQ(Get(b).state, DeliveryState::kPending);
  EXPECT_EQ(Attempts(b).size(), 0u);
}

TEST_F(WorkerTest, StoreOutageDuringClaimIsSurvived) {
  std::string id = AddDelivery("http://t1/x");
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(200)});
  auto w = MakeWorker(Options());
  store_.SetUnavailable(true);
  w->RunOnce();
  EXPECT_EQ(w->stats().store_errors, 1);
  store_.SetUnavailable(false);
  w->RunOnce();
  EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
}

TEST_F(WorkerTest, SaturatedTargetIsSkippedByClaimsNotHandedBack) {
  http_.SetManual(true);
  std::vector<std::string> slow = AddBacklog("http://slow:81/in", 5);
  const std::string slow_sub = Get(slow[0]).subscription_uuid;
  std::string fast = AddDelivery("http://fast:82/in");
  http_.Script("http://slow:81/in", {FakeHttpClient::Status(200)});
  http_.Script("http://fast:82/in", {FakeHttpClient::Status(200)});
  auto w = MakeWorker(OneAtATimeOptions(Duration(0)));
  w->RunOnce();
  // One slow delivery in flight and two queued fill the target; the claims then skip its
  // subscription and reach the fast target's delivery behind the rest of its work.
  EXPECT_EQ(http_.PendingCountFor("http://slow:81/in"), 1u);
  EXPECT_EQ(http_.PendingCountFor("http://fast:82/in"), 1u);
  EXPECT_EQ(w->stats().queued, 2);
  EXPECT_TRUE(recording_.releases.empty());
  ASSERT_FALSE(recording_.claims.empty());
  EXPECT_EQ(recording_.claims.back().skip, std::vector<std::string>{slow_sub});
  ASSERT_TRUE(http_.CompleteNext("http://fast:82/in"));
  w->RunOnce();
  EXPECT_EQ(Get(fast).state, DeliveryState::kDelivered);
  // As the slow target drains, its remaining work is claimed again.
  while (http_.CompleteNext("http://slow:81/in")) w->RunOnce();
  for (const auto& id : slow) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  EXPECT_TRUE(recording_.releases.empty());
  EXPECT_EQ(w->stats().handed_back, 0);
}

// Claims that skipped something, in order.
std::vector<std::vector<std::string>> SkippingClaims(const RecordingDeliveryStore& store) {
  std::vector<std::vector<std::string>> out;
  for (const auto& c : store.claims) {
    if (!c.skip.empty()) out.push_back(c.skip);
  }
  return out;
}

TEST_F(WorkerTest, FruitlessSkippingClaimIsNotRepeatedEachTimeTheOnlySaturatedTargetResumes) {
  http_.SetManual(true);
  std::vector<std::string> ids = AddBacklog("http://slow:81/in", 8);
  http_.Script("http://slow:81/in", {FakeHttpClient::Status(200)});
  auto w = MakeWorker(OneAtATimeOptions(std::chrono::hours(1)));  // no test runs that long
  w->RunOnce();
  // Saturated (one in flight, two queued): one claim reads past its work and finds nothing.
  ASSERT_EQ(SkippingClaims(recording_).size(), 1u);
  // It resumes and saturates again with each completion; its backlog is all there is, so the
  // pause holds and the store is not read past that backlog again.
  while (http_.CompleteNext("http://slow:81/in")) w->RunOnce();
  for (const auto& id : ids) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  EXPECT_EQ(SkippingClaims(recording_).size(), 1u);
}

TEST_F(WorkerTest, TargetResumingWhileAnotherStaysSaturatedEndsThePause) {
  http_.SetManual(true);
  AddBacklog("http://a:81/in", 5);
  const std::string b_sub = Get(AddBacklog("http://b:82/in", 5)[0]).subscription_uuid;
  http_.Script("http://a:81/in", {FakeHttpClient::Status(200)});
  auto w = MakeWorker(OneAtATimeOptions(std::chrono::hours(1)));
  w->RunOnce();
  ASSERT_FALSE(SkippingClaims(recording_).empty());
  const std::size_t before = SkippingClaims(recording_).size();
  // a resumes while b stays saturated: its work lies past b's, so claims read past b's again
  // at once instead of waiting out the pause.
  ASSERT_TRUE(http_.CompleteNext("http://a:81/in"));
  w->RunOnce();
  auto skipping = SkippingClaims(recording_);
  ASSERT_GT(skipping.size(), before);
  EXPECT_EQ(skipping[before], std::vector<std::string>{b_sub});
}

TEST_F(WorkerTest, OverflowOfAClaimIsHandedBackInOneCallUnchanged) {
  http_.SetManual(true);
  std::string first = AddDelivery("http://t1/in");
  const std::string sub = Get(first).subscription_uuid;
  std::vector<std::string> ids{first};
  for (int i = 0; i < 4; ++i) ids.push_back(AddDeliveryFor(sub));
  WorkerOptions o = Options();
  o.policy_url = "";
  o.max_in_flight_per_target = 1;
  o.max_queued_per_target = 2;
  o.claim_batch = 5;  // more than the target takes: its target was unknown when claiming
  auto w = MakeWorker(o);
  w->RunOnce();
  EXPECT_EQ(http_.PendingCount(), 1u);
  ASSERT_EQ(recording_.release_calls, std::vector<std::size_t>{2});
  for (const auto& r : recording_.releases) {
    EXPECT_EQ(r.owner, "worker-a");
    EXPECT_EQ(r.next, kStart);  // due as before: skipping keeps it from being claimed again
    EXPECT_EQ(Get(r.uuid).lease_owner, "");
  }
  EXPECT_EQ(w->stats().handed_back, 2);
}

TEST_F(WorkerTest, AttemptsConcludedInOnePassAreRecordedInOneBatch) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(AddDelivery("http://t" + std::to_string(i) + "/in"));
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  for (int i = 0; i < 3; ++i) {
    http_.Script("http://t" + std::to_string(i) + "/in", {FakeHttpClient::Status(200)});
  }
  auto w = MakeWorker(Options());
  w->RunOnce();
  for (const auto& id : ids) EXPECT_EQ(Get(id).state, DeliveryState::kDelivered);
  EXPECT_EQ(recording_.record_batches, std::vector<std::size_t>{3});
  EXPECT_EQ(w->stats().record_batches, 1);
}

TEST_F(WorkerTest, SubscriptionDisabledBetweenClaimsIsNoticed) {
  std::string first = AddDelivery("http://t1/x");
  const std::string sub = Get(first).subscription_uuid;
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(200)});
  auto w = MakeWorker(Options());
  w->RunOnce();
  ASSERT_EQ(Get(first).state, DeliveryState::kDelivered);
  ASSERT_TRUE(store_.Disable(sub, clock_.Now(), "switched off").ok());
  std::string second = AddDeliveryFor(sub);
  w->RunOnce();
  EXPECT_EQ(Get(second).state, DeliveryState::kFailed);
  EXPECT_EQ(Attempts(second)[0].error, Worker::kSubscriptionGone);
  EXPECT_EQ(http_.RequestsTo("http://t1/x").size(), 1u);
}

TEST_F(WorkerTest, BodyKeptPerEventIsNotGivenToSubscriptionsWithExtensions) {
  http_.Script(PolicyFor("alice"), {FakeHttpClient::Status(200)});
  http_.Script("http://t1/x", {FakeHttpClient::Status(200)});
  http_.Script("http://t2/x", {FakeHttpClient::Status(200)});
  std::string a = AddDelivery("http://t1/x");
  // A second subscription on the same event, with extensions of its own.
  Subscription s;
  s.uuid = Uuid(0x1ff);
  s.name = "ext";
  s.jsonpath = "$";
  s.user = "alice";
  s.target_url = "http://t2/x";
  s.extensions = {{"channel", "two"}};
  ASSERT_TRUE(store_.Insert(s).ok());
  Delivery d = Get(a);
  d.uuid = Uuid(0x3ff);
  d.subscription_uuid = s.uuid;
  ASSERT_TRUE(store_.AddDeliveries(std::span<const Delivery>(&d, 1)).ok());
  MakeWorker(Options())->RunOnce();
  EXPECT_EQ(http_.RequestsTo("http://t1/x").at(0).body,
            R"({"eventType": "org.pacifica.metadata.ingest", "eventID": "7", "extensions": {}})");
  EXPECT_EQ(
      http_.RequestsTo("http://t2/x").at(0).body,
      R"({"eventType": "org.pacifica.metadata.ingest", "eventID": "7", "extensions": {"channel": "two"}})");
}

TEST_F(WorkerTest, TargetKeyIsHostAndPort) {
  EXPECT_EQ(TargetKey("http://Example.COM/x"), "example.com:80");
  EXPECT_EQ(TargetKey("https://example.com/x"), "example.com:443");
  EXPECT_EQ(TargetKey("http://user:pw@h:8080/p?q"), "h:8080");
  EXPECT_EQ(TargetKey("http://[::1]:9/p"), "[::1]:9");
  EXPECT_EQ(TargetKey("notaurl"), "notaurl");
}

}  // namespace
}  // namespace pn::delivery
