#include "metrics/prometheus_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>
#include <sstream>

namespace pn::metrics {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

// Outbound calls: 5 ms .. 60 s (policy timeout 10 s, target timeout 30 s by default).
Histogram::BucketBoundaries CallBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}
// Matching one event and database operations are much faster: 10 µs .. 5 s.
Histogram::BucketBoundaries FastBuckets() {
  return {0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
          0.01,    0.025,   0.05,   0.1,     0.25,    0.5,   1,      5};
}

}  // namespace

struct PrometheusMetrics::Families {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& events_received =
      BuildCounter().Name("pn_events_received_total")
          .Help("Events received on /receive, by outcome (accepted counts events; a rejected "
                "request counts 1)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& deliveries_finished =
      BuildCounter().Name("pn_deliveries_finished_total")
          .Help("Deliveries that reached a final state (delivered, denied, failed)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& attempts =
      BuildCounter().Name("pn_delivery_attempts_total")
          .Help("Delivery attempts recorded, by the target's status class (none = the target "
                "was not called or did not answer)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& retries_scheduled =
      BuildCounter().Name("pn_delivery_retries_scheduled_total")
          .Help("Attempts after which a retry was scheduled")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& disabled =
      BuildCounter().Name("pn_subscription_disables_total")
          .Help("Subscriptions this process disabled by delivery outcomes (410 Gone, retries "
                "exhausted)")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& retries_pending =
      BuildGauge().Name("pn_delivery_retries_pending")
          .Help("Retries scheduled by this process and not yet attempted")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& pending =
      BuildGauge().Name("pn_deliveries_pending")
          .Help("Deliveries waiting for an attempt (first or retry), from the database")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& oldest_age =
      BuildGauge().Name("pn_deliveries_oldest_pending_age_seconds")
          .Help("Age of the oldest pending delivery (since its event was accepted; 0 when none "
                "is pending), from the database")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& oldest_due =
      BuildGauge().Name("pn_deliveries_oldest_pending_due_seconds")
          .Help("How long the earliest-due pending delivery has been due (0 when none is): "
                "the delivery backlog's lag")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& subscriptions =
      BuildGauge().Name("pn_subscriptions_active")
          .Help("Enabled, non-deleted subscriptions in the match index")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& subscriptions_disabled =
      BuildGauge().Name("pn_subscriptions_disabled")
          .Help("Disabled, non-deleted subscriptions, from the database")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& policy_latency =
      BuildHistogram().Name("pn_policy_request_duration_seconds")
          .Help("Policy service calls, by status class").Register(registry);
  prometheus::Family<prometheus::Histogram>& target_latency =
      BuildHistogram().Name("pn_target_request_duration_seconds")
          .Help("Target (webhook) calls, by status class").Register(registry);
  prometheus::Family<prometheus::Histogram>& match_latency =
      BuildHistogram().Name("pn_match_duration_seconds")
          .Help("Matching one event against the subscription index").Register(registry);
  prometheus::Family<prometheus::Histogram>& db_latency =
      BuildHistogram().Name("pn_database_operation_duration_seconds")
          .Help("Store operations, by operation").Register(registry);
  prometheus::Family<prometheus::Counter>& db_errors =
      BuildCounter().Name("pn_database_errors_total")
          .Help("Store operations that failed, by operation").Register(registry);
  prometheus::Histogram& match = match_latency.Add({}, FastBuckets());
  prometheus::Gauge& retries_pending_gauge = retries_pending.Add({});
  prometheus::Gauge& pending_gauge = pending.Add({});
  prometheus::Gauge& oldest_age_gauge = oldest_age.Add({});
  prometheus::Gauge& oldest_due_gauge = oldest_due.Add({});
  prometheus::Gauge& active_gauge = subscriptions.Add({});
  prometheus::Gauge& disabled_gauge = subscriptions_disabled.Add({});
  prometheus::Counter& retries_counter = retries_scheduled.Add({});
  prometheus::Counter& disabled_counter = disabled.Add({});
  // Retries scheduled before a restart are consumed without having been counted here, so the
  // gauge is kept from going negative.
  std::mutex retries_mu;
  int64_t retries_pending_value = 0;  // guarded by retries_mu

  Families() {
    // Every label value appears from the start, so a dashboard sees zeros instead of gaps.
    for (const char* outcome :
         {"accepted", "invalid", "too_large", "unsupported", "unavailable", "error"}) {
      events_received.Add({{"outcome", outcome}});
    }
    for (const char* state : {"delivered", "denied", "failed"}) {
      deliveries_finished.Add({{"state", state}});
    }
    for (const char* c : {"2xx", "3xx", "4xx", "5xx", "none"}) {
      attempts.Add({{"target_status_class", c}});
    }
  }
};

PrometheusMetrics::PrometheusMetrics() : f_(std::make_unique<Families>()) {}
PrometheusMetrics::~PrometheusMetrics() = default;

void PrometheusMetrics::EventsReceived(std::string_view outcome, int64_t count) {
  f_->events_received.Add({{"outcome", std::string(outcome)}}).Increment(static_cast<double>(count));
}

void PrometheusMetrics::MatchObserved(Duration elapsed) { f_->match.Observe(Seconds(elapsed)); }

void PrometheusMetrics::AttemptRecorded(const Delivery& after, const DeliveryAttempt& attempt,
                                        bool subscription_disabled) {
  f_->attempts.Add({{"target_status_class", std::string(StatusClass(attempt.target_status.value_or(0)))}})
      .Increment();
  // This attempt consumed a retry scheduled earlier (when it was not the first one).
  {
    std::lock_guard<std::mutex> lock(f_->retries_mu);
    int64_t& value = f_->retries_pending_value;
    if (attempt.number > 1 && value > 0) --value;
    if (after.state == DeliveryState::kPending) ++value;
    f_->retries_pending_gauge.Set(static_cast<double>(value));
  }
  if (after.state == DeliveryState::kPending) {
    f_->retries_counter.Increment();
  } else {
    f_->deliveries_finished.Add({{"state", std::string(DeliveryStateName(after.state))}}).Increment();
  }
  if (subscription_disabled) f_->disabled_counter.Increment();
}

void PrometheusMetrics::PolicyCall(Duration elapsed, int status) {
  f_->policy_latency.Add({{"status_class", std::string(StatusClass(status))}}, CallBuckets())
      .Observe(Seconds(elapsed));
}

void PrometheusMetrics::TargetCall(Duration elapsed, int status) {
  f_->target_latency.Add({{"status_class", std::string(StatusClass(status))}}, CallBuckets())
      .Observe(Seconds(elapsed));
}

void PrometheusMetrics::DatabaseCall(std::string_view operation, Duration elapsed, bool ok) {
  prometheus::Labels labels{{"operation", std::string(operation)}};
  f_->db_latency.Add(labels, FastBuckets()).Observe(Seconds(elapsed));
  if (!ok) f_->db_errors.Add(labels).Increment();
}

void PrometheusMetrics::SetScrapeGauges(const ScrapeGauges& g) {
  if (g.deliveries_pending) f_->pending_gauge.Set(static_cast<double>(*g.deliveries_pending));
  if (g.oldest_pending_age_seconds) f_->oldest_age_gauge.Set(*g.oldest_pending_age_seconds);
  if (g.oldest_pending_due_seconds) f_->oldest_due_gauge.Set(*g.oldest_pending_due_seconds);
  if (g.subscriptions_active) f_->active_gauge.Set(static_cast<double>(*g.subscriptions_active));
  if (g.subscriptions_disabled) {
    f_->disabled_gauge.Set(static_cast<double>(*g.subscriptions_disabled));
  }
}

std::string PrometheusMetrics::Exposition() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, f_->registry.Collect());
  return out.str();
}

}  // namespace pn::metrics
