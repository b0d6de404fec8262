// The metrics seam: what the pipeline reports about its work. Code that does the work (ingest,
// delivery, the store and HTTP client decorators) calls a Metrics&; the application injects the
// Prometheus implementation (prometheus_metrics.h), everything else gets NoopMetrics().
// Thread-safety: implementations must accept calls from any thread concurrently.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/clock.h"
#include "model/delivery.h"

namespace pn::metrics {

class Metrics {
 public:
  virtual ~Metrics() = default;

  // `count` events of one /receive request ended with `outcome` ("accepted", "invalid",
  // "too_large", "unsupported", "unavailable", "error").
  virtual void EventsReceived(std::string_view outcome, int64_t count) { (void)outcome, (void)count; }
  // One event was matched against the subscription index in `elapsed`.
  virtual void MatchObserved(Duration elapsed) { (void)elapsed; }
  // A delivery attempt was stored: `after` is the delivery as recorded (state pending = a retry
  // is scheduled), `subscription_disabled` when the attempt disabled the subscription.
  virtual void AttemptRecorded(const Delivery& after, const DeliveryAttempt& attempt,
                               bool subscription_disabled) {
    (void)after, (void)attempt, (void)subscription_disabled;
  }
  // One outbound call finished: `status` 0 when no HTTP status was received.
  virtual void PolicyCall(Duration elapsed, int status) { (void)elapsed, (void)status; }
  virtual void TargetCall(Duration elapsed, int status) { (void)elapsed, (void)status; }
  // One store operation (e.g. "events.Append") took `elapsed`; `ok` false when it failed.
  virtual void DatabaseCall(std::string_view operation, Duration elapsed, bool ok) {
    (void)operation, (void)elapsed, (void)ok;
  }
};

// A process-wide instance that records nothing.
Metrics& NoopMetrics();

// "2xx" for 200..299 etc., "none" for 0 (no answer or not called).
std::string_view StatusClass(int status);

}  // namespace pn::metrics
