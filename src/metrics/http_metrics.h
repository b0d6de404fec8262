// HTTP glue of the metrics module: GET /metrics, and counting /receive outcomes from the
// answers the receive handler gives (so src/ingest needs no metrics code for it).
// Thread-safety: the returned handlers may run concurrently; their arguments must outlive them.
#pragma once

#include <functional>

#include "http/message.h"
#include "metrics/prometheus_metrics.h"

namespace pn::metrics {

// Answers 200 text/plain; version=0.0.4 with every metric, after `refresh` (may be empty)
// supplied the gauges that are measured at scrape time.
http::Handler MakeMetricsHandler(PrometheusMetrics& metrics, std::function<ScrapeGauges()> refresh);

// Wraps the /receive handler: each answer is counted by outcome. A 200 counts its events (one
// uuid, or the length of the batch's uuid array); an error counts 1 under its outcome.
http::Handler CountReceived(http::Handler receive, Metrics& metrics);

// The outcome label of a /receive answer status: 200 "accepted", 400 "invalid", 413
// "too_large", 415 "unsupported", 503 "unavailable", anything else "error".
std::string_view ReceiveOutcome(int status);

}  // namespace pn::metrics
