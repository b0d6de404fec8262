// Metrics on prometheus-cpp core, rendered in the Prometheus text exposition format by
// Exposition() (served at GET /metrics by metrics_handler.h). Every metric is documented in
// docs/metrics.md; the names there and here must agree (tests/metrics checks them).
// Thread-safety: every method may be called from any thread concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "metrics/metrics.h"

namespace pn::metrics {

// Values that are asked of the store and the index when a scrape arrives, not counted.
struct ScrapeGauges {
  std::optional<int64_t> deliveries_pending;         // SummarizePending().count
  std::optional<double> oldest_pending_age_seconds;  // now - oldest pending created, 0 if none
  std::optional<double> oldest_pending_due_seconds;  // now - NextDueAt(), 0 when none is due
  std::optional<int64_t> subscriptions_active;       // the match index's size
  std::optional<int64_t> subscriptions_disabled;     // CountDisabled()
};

class PrometheusMetrics final : public Metrics {
 public:
  PrometheusMetrics();
  ~PrometheusMetrics() override;

  void EventsReceived(std::string_view outcome, int64_t count) override;
  void MatchObserved(Duration elapsed) override;
  void AttemptRecorded(const Delivery& after, const DeliveryAttempt& attempt,
                       bool subscription_disabled) override;
  void PolicyCall(Duration elapsed, int status) override;
  void TargetCall(Duration elapsed, int status) override;
  void DatabaseCall(std::string_view operation, Duration elapsed, bool ok) override;

  // Sets the gauges that are measured at scrape time (absent values are left as they were).
  void SetScrapeGauges(const ScrapeGauges& gauges);

  // Every metric in the text exposition format (version 0.0.4).
  std::string Exposition() const;

 private:
  struct Families;
  std::unique_ptr<Families> f_;
};

}  // namespace pn::metrics
