// PrometheusMetrics exposition, the store / HTTP client decorators, /receive outcome counting,
// and docs/metrics.md agreeing with what is exposed.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "../fakes/memory_store.h"
#include "../outbound/fake_http_client.h"
#include "common/random.h"
#include "common/uuid.h"
#include "metrics/http_metrics.h"
#include "metrics/instrumented_http_client.h"
#include "metrics/instrumented_store.h"
#include "metrics/prometheus_metrics.h"
#include "metrics/scrape_gauges.h"

namespace pn::metrics {
namespace {

using std::chrono::milliseconds;

outbound::OutboundRequest RequestTo(std::string url) {
  outbound::OutboundRequest request;
  request.url = std::move(url);
  return request;
}

// Records what the decorators report.
class RecordingMetrics final : public Metrics {
 public:
  void PolicyCall(Duration d, int status) override { calls.push_back("policy " + Describe(d, status)); }
  void TargetCall(Duration d, int status) override { calls.push_back("target " + Describe(d, status)); }
  void DatabaseCall(std::string_view op, Duration, bool ok) override {
    calls.push_back(std::string(op) + (ok ? " ok" : " failed"));
  }
  void EventsReceived(std::string_view outcome, int64_t count) override {
    calls.push_back("received " + std::string(outcome) + " " + std::to_string(count));
  }
  static std::string Describe(Duration d, int status) {
    return std::to_string(std::chrono::duration_cast<milliseconds>(d).count()) + "ms " +
           std::to_string(status);
  }
  std::vector<std::string> calls;
};

// The value of one sample line, e.g. Sample(text, "pn_events_received_total{outcome=\"accepted\"}").
std::optional<double> Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

Delivery WithState(DeliveryState state) {
  Delivery d;
  d.uuid = "d";
  d.state = state;
  return d;
}

DeliveryAttempt Attempt(int number, std::optional<int> target_status) {
  DeliveryAttempt a;
  a.number = number;
  a.target_status = target_status;
  return a;
}

TEST(PrometheusMetrics, EveryOutcomeLabelIsExposedAtZeroBeforeAnyEvent) {
  PrometheusMetrics m;
  std::string text = m.Exposition();
  for (const char* outcome : {"accepted", "invalid", "too_large", "unsupported", "unavailable", "error"}) {
    EXPECT_EQ(Sample(text, std::string("pn_events_received_total{outcome=\"") + outcome + "\"}"), 0.0)
        << outcome;
  }
}

TEST(PrometheusMetrics, EventsReceivedAddsTheCountUnderItsOutcome) {
  PrometheusMetrics m;
  m.EventsReceived("accepted", 3);
  m.EventsReceived("accepted", 2);
  m.EventsReceived("invalid", 1);
  std::string text = m.Exposition();
  EXPECT_EQ(Sample(text, "pn_events_received_total{outcome=\"accepted\"}"), 5.0);
  EXPECT_EQ(Sample(text, "pn_events_received_total{outcome=\"invalid\"}"), 1.0);
}

TEST(PrometheusMetrics, FinalAttemptCountsTheFinalStateAndTheTargetStatusClass) {
  PrometheusMetrics m;
  m.AttemptRecorded(WithState(DeliveryState::kDelivered), Attempt(1, 204), false);
  m.AttemptRecorded(WithState(DeliveryState::kFailed), Attempt(1, 410), true);
  std::string text = m.Exposition();
  EXPECT_EQ(Sample(text, "pn_deliveries_finished_total{state=\"delivered\"}"), 1.0);
  EXPECT_EQ(Sample(text, "pn_deliveries_finished_total{state=\"failed\"}"), 1.0);
  EXPECT_EQ(Sample(text, "pn_delivery_attempts_total{target_status_class=\"2xx\"}"), 1.0);
  EXPECT_EQ(Sample(text, "pn_delivery_attempts_total{target_status_class=\"4xx\"}"), 1.0);
  EXPECT_EQ(Sample(text, "pn_subscription_disables_total"), 1.0);
}

TEST(PrometheusMetrics, AttemptWithoutTargetAnswerCountsAsNone) {
  PrometheusMetrics m;
  m.AttemptRecorded(WithState(DeliveryState::kPending), Attempt(1, std::nullopt), false);
  EXPECT_EQ(Sample(m.Exposition(), "pn_delivery_attempts_total{target_status_class=\"none\"}"), 1.0);
}

TEST(PrometheusMetrics, RetriesPendingRisesWhenScheduledAndFallsWhenAttempted) {
  PrometheusMetrics m;
  m.AttemptRecorded(WithState(DeliveryState::kPending), Attempt(1, 500), false);
  m.AttemptRecorded(WithState(DeliveryState::kPending), Attempt(1, 500), false);
  EXPECT_EQ(Sample(m.Exposition(), "pn_delivery_retries_pending"), 2.0);
  m.AttemptRecorded(WithState(DeliveryState::kDelivered), Attempt(2, 200), false);
  std::string text = m.Exposition();
  EXPECT_EQ(Sample(text, "pn_delivery_retries_pending"), 1.0);
  EXPECT_EQ(Sample(text, "pn_delivery_retries_scheduled_total"), 2.0);
}

TEST(PrometheusMetrics, RetriesPendingNeverGoesNegativeForRetriesScheduledBeforeARestart) {
  PrometheusMetrics m;
  m.AttemptRecorded(WithState(DeliveryState::kDelivered), Attempt(4, 200), false);
  EXPECT_EQ(Sample(m.Exposition(), "pn_delivery_retries_pending"), 0.0);
}

TEST(PrometheusMetrics, LatenciesLandInHistogramsByStatusClass) {
  PrometheusMetrics m;
  m.PolicyCall(milliseconds(30), 200);
  m.TargetCall(milliseconds(2000), 503);
  m.MatchObserved(std::chrono::microseconds(40));
  m.DatabaseCall("events.Append", milliseconds(3), true);
  std::string text = m.Exposition();
  EXPECT_EQ(Sample(text, "pn_policy_request_duration_seconds_count{status_class=\"2xx\"}"), 1.0);
  EXPECT_EQ(Sample(text, "pn_policy_request_duration_seconds_bucket{status_class=\"2xx\",le=\"0.025\"}"), 0.0);
  EXPECT_EQ(Sample(text, "pn_policy_request_duration_seconds_bucket{status_class=\"2xx\",le=\"0.05\"}"), 1.0);
  EXPECT_EQ(Sample(text, "pn_target_request_duration_seconds_sum{status_class=\"5xx\"}"), 2.0);
  EXPECT_EQ(Sample(text, "pn_match_duration_seconds_bucket{le=\"5e-05\"}"), 1.0);
  EXPECT_EQ(Sample(text, "pn_database_operation_duration_seconds_count{operation=\"events.Append\"}"), 1.0);
}

TEST(PrometheusMetrics, FailedDatabaseCallsAreCountedAsErrors) {
  PrometheusMetrics m;
  m.DatabaseCall("deliveries.ClaimDue", milliseconds(1), false);
  EXPECT_EQ(Sample(m.Exposition(), "pn_database_errors_total{operation=\"deliveries.ClaimDue\"}"), 1.0);
}

TEST(PrometheusMetrics, ScrapeGaugesShowTheLastValuesGiven) {
  PrometheusMetrics m;
  m.SetScrapeGauges({.deliveries_pending = 7,
                     .oldest_pending_age_seconds = 90.25,
                     .oldest_pending_due_seconds = 12.5,
                     .subscriptions_active = 3,
                     .subscriptions_disabled = 2});
  ScrapeGauges only_pending;  // absent values keep the previous ones
  only_pending.deliveries_pending = 6;
  m.SetScrapeGauges(only_pending);
  std::string text = m.Exposition();
  EXPECT_EQ(Sample(text, "pn_deliveries_pending"), 6.0);
  EXPECT_EQ(Sample(text, "pn_deliveries_oldest_pending_age_seconds"), 90.25);
  EXPECT_EQ(Sample(text, "pn_deliveries_oldest_pending_due_seconds"), 12.5);
  EXPECT_EQ(Sample(text, "pn_subscriptions_active"), 3.0);
  EXPECT_EQ(Sample(text, "pn_subscriptions_disabled"), 2.0);
}

// A MemoryStore holding subscriptions and pending deliveries for ReadScrapeGauges.
class ReadScrapeGaugesTest : public ::testing::Test {
 protected:
  static Timestamp At(int seconds) { return kStart + std::chrono::seconds(seconds); }

  Subscription AddSubscription(bool disabled, bool deleted) {
    Subscription s;
    s.uuid = NewUuid4(random_);
    s.user = "alice";
    s.name = "n";
    s.jsonpath = "$";
    s.target_url = "http://t/";
    s.created = s.updated = kStart;
    if (disabled) s.disabled = kStart;
    if (deleted) s.deleted = kStart;
    EXPECT_TRUE(store_.subscriptions().Insert(s).ok());
    return s;
  }
  // One event accepted at `created` with a pending delivery to `s`, due at `due`.
  void AddPending(const Subscription& s, Timestamp created, Timestamp due) {
    NewEvent item{{NewUuid4(random_), "{}", created}, {}};
    Delivery d;
    d.uuid = NewUuid4(random_);
    d.event_uuid = item.event.uuid;
    d.subscription_uuid = s.uuid;
    d.created = d.updated = created;
    d.next_attempt_at = due;
    item.deliveries.push_back(d);
    EXPECT_TRUE(store_.events().Append(std::span<const NewEvent>(&item, 1)).ok());
  }

  static constexpr Timestamp kStart{std::chrono::sys_days(std::chrono::year(2026) / 3 / 1)};
  SeededRandom random_{8};
  testing::MemoryStore store_;
  ManualClock clock_{At(0)};
};

TEST_F(ReadScrapeGaugesTest, OldestPendingAgeCountsFromTheEarliestCreatedNotTheEarliestDue) {
  Subscription s = AddSubscription(false, false);
  AddPending(s, At(0), At(600));   // oldest, but a retry scheduled for later
  AddPending(s, At(100), At(100));  // newer, and due first
  clock_.Advance(std::chrono::seconds(300));
  ScrapeGauges g = ReadScrapeGauges(store_.deliveries(), store_.subscriptions(), 4, clock_);
  EXPECT_EQ(g.deliveries_pending, 2);
  EXPECT_EQ(g.oldest_pending_age_seconds, 300.0);
  EXPECT_EQ(g.oldest_pending_due_seconds, 200.0);
  EXPECT_EQ(g.subscriptions_active, 4);
}

TEST_F(ReadScrapeGaugesTest, NothingPendingReadsZeroAgeAndLag) {
  ScrapeGauges g = ReadScrapeGauges(store_.deliveries(), store_.subscriptions(), 0, clock_);
  EXPECT_EQ(g.deliveries_pending, 0);
  EXPECT_EQ(g.oldest_pending_age_seconds, 0.0);
  EXPECT_EQ(g.oldest_pending_due_seconds, 0.0);
}

TEST_F(ReadScrapeGaugesTest, DisabledCountsDisabledSubscriptionsThatAreNotDeleted) {
  AddSubscription(false, false);
  AddSubscription(true, false);
  AddSubscription(true, false);
  AddSubscription(true, true);
  EXPECT_EQ(ReadScrapeGauges(store_.deliveries(), store_.subscriptions(), 1, clock_)
                .subscriptions_disabled,
            2);
}

TEST_F(ReadScrapeGaugesTest, AnUnavailableStoreLeavesTheDatabaseGaugesAbsent) {
  store_.SetUnavailable(true);
  ScrapeGauges g = ReadScrapeGauges(store_.deliveries(), store_.subscriptions(), 5, clock_);
  EXPECT_EQ(g.deliveries_pending, std::nullopt);
  EXPECT_EQ(g.oldest_pending_age_seconds, std::nullopt);
  EXPECT_EQ(g.oldest_pending_due_seconds, std::nullopt);
  EXPECT_EQ(g.subscriptions_disabled, std::nullopt);
  EXPECT_EQ(g.subscriptions_active, 5);
}

TEST(StatusClass, NamesEachHundredAndNoneForZero) {
  EXPECT_EQ(StatusClass(0), "none");
  EXPECT_EQ(StatusClass(101), "1xx");
  EXPECT_EQ(StatusClass(302), "3xx");
  EXPECT_EQ(StatusClass(599), "5xx");
  EXPECT_EQ(StatusClass(600), "other");
}

TEST(InstrumentedHttpClient, CallsUnderThePolicyPrefixArePolicyCallsOthersTargetCalls) {
  testing::FakeHttpClient fake;
  auto policy_answer = testing::FakeHttpClient::Status(200);
  policy_answer.duration = milliseconds(5);
  auto target_answer = testing::FakeHttpClient::Status(404);
  target_answer.duration = milliseconds(9);
  fake.Script("http://policy:8181/events/alice", {policy_answer});
  fake.Script("http://target/hook", {target_answer});
  auto recording = std::make_shared<RecordingMetrics>();
  InstrumentedHttpClient client(fake, recording, "http://policy:8181/");
  int answered = 0;
  client.Send(RequestTo("http://policy:8181/events/alice"), [&](auto r) { answered += r.status; });
  client.Send(RequestTo("http://target/hook"), [&](auto r) { answered += r.status; });
  EXPECT_EQ(answered, 604);  // both answers reached the caller unchanged
  EXPECT_EQ(recording->calls, (std::vector<std::string>{"policy 5ms 200", "target 9ms 404"}));
}

TEST(InstrumentedHttpClient, TransportErrorsAreReportedWithStatusZero) {
  testing::FakeHttpClient fake;
  auto refused = testing::FakeHttpClient::TransportError("refused");
  refused.duration = milliseconds(7);
  fake.Script("http://target/hook", {refused});
  auto recording = std::make_shared<RecordingMetrics>();
  InstrumentedHttpClient client(fake, recording, "");
  client.Send(RequestTo("http://target/hook"), [](auto) {});
  EXPECT_EQ(recording->calls, (std::vector<std::string>{"target 7ms 0"}));
}

TEST(InstrumentedStore, ReportsEachOperationAndWhetherItFailed) {
  testing::MemoryStore memory;
  RecordingMetrics recording;
  InstrumentedStore store(memory, recording);
  ASSERT_TRUE(store.subscriptions().ListActive().ok());
  ASSERT_TRUE(store.Ping().ok());
  EXPECT_EQ(recording.calls, (std::vector<std::string>{"subscriptions.ListActive ok", "Ping ok"}));
}

TEST(InstrumentedStore, ForwardsAnswersUnchanged) {
  testing::MemoryStore memory;
  RecordingMetrics recording;
  InstrumentedStore store(memory, recording);
  Subscription s;
  s.uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
  s.user = "alice";
  s.name = "n";
  s.jsonpath = "$";
  s.target_url = "http://t/";
  ASSERT_TRUE(store.subscriptions().Insert(s).ok());
  auto found = store.subscriptions().Find(s.uuid);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "n");
  EXPECT_EQ(store.subscriptions().Insert(s).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(recording.calls, (std::vector<std::string>{"subscriptions.Insert ok",
                                                       "subscriptions.Find ok",
                                                       "subscriptions.Insert failed"}));
}

http::Handler AnswerWith(int status, std::string body) {
  return [status, body](http::Request, http::Responder respond) {
    http::Response r;
    r.status = status;
    r.body = body;
    respond(std::move(r));
  };
}

std::vector<std::string> Receive(int status, std::string body) {
  RecordingMetrics recording;
  auto handler = CountReceived(AnswerWith(status, std::move(body)), recording);
  int answered = 0;
  handler(http::Request{}, [&](http::Response r) { answered = r.status; });
  EXPECT_EQ(answered, status);
  return recording.calls;
}

TEST(CountReceived, OneAcceptedEventCountsOne) {
  EXPECT_EQ(Receive(200, "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            std::vector<std::string>{"received accepted 1"});
}

TEST(CountReceived, AnAcceptedBatchCountsItsEvents) {
  EXPECT_EQ(Receive(200, R"(["a", "b", "c"])"), std::vector<std::string>{"received accepted 3"});
}

TEST(CountReceived, AnEmptyBatchCountsZero) {
  EXPECT_EQ(Receive(200, "[]"), std::vector<std::string>{"received accepted 0"});
}

TEST(CountReceived, ErrorsCountOneUnderTheirOutcome) {
  EXPECT_EQ(Receive(400, "{}"), std::vector<std::string>{"received invalid 1"});
  EXPECT_EQ(Receive(413, "{}"), std::vector<std::string>{"received too_large 1"});
  EXPECT_EQ(Receive(415, "{}"), std::vector<std::string>{"received unsupported 1"});
  EXPECT_EQ(Receive(503, "{}"), std::vector<std::string>{"received unavailable 1"});
  EXPECT_EQ(Receive(500, "{}"), std::vector<std::string>{"received error 1"});
}

TEST(MetricsHandler, AnswersTheExpositionAfterRefreshingTheScrapeGauges) {
  PrometheusMetrics m;
  auto handler = MakeMetricsHandler(m, [] { ScrapeGauges gauges;
    gauges.deliveries_pending = 42;
    return gauges; });
  http::Response answer;
  handler(http::Request{}, [&](http::Response r) { answer = std::move(r); });
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.headers.Get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(Sample(answer.body, "pn_deliveries_pending"), 42.0);
}

// Operators read docs/metrics.md: every exposed family must be documented there, and nothing
// documented may be missing from the exposition.
TEST(MetricsDocumentation, DocumentsExactlyTheExposedFamilies) {
  PrometheusMetrics m;
  m.PolicyCall(milliseconds(1), 200);
  m.TargetCall(milliseconds(1), 200);
  m.DatabaseCall("Ping", milliseconds(1), false);
  std::set<std::string> exposed;
  std::istringstream in(m.Exposition());
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("# TYPE ")) exposed.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  std::ifstream doc(std::string(PN_TESTDATA_DIR) + "/../docs/metrics.md");
  ASSERT_TRUE(doc) << "docs/metrics.md is missing";
  std::stringstream text;
  text << doc.rdbuf();
  std::set<std::string> documented;
  std::string content = text.str();
  std::regex row(R"(\|\s*`(pn_[a-z_]+)`)");
  for (std::sregex_iterator it(content.begin(), content.end(), row), end; it != end; ++it) {
    documented.insert((*it)[1]);
  }
  EXPECT_EQ(documented, exposed);
}

}  // namespace
}  // namespace pn::metrics
