// ReadScrapeGauges: the /metrics values asked of the store when a scrape arrives (pending
// deliveries, the oldest one's age, the backlog's lag, disabled subscriptions), so that every
// server process reports the shared database's state rather than what it saw itself.
// Thread-safety: stateless; safe from any thread (the stores are thread-safe).
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "metrics/prometheus_metrics.h"
#include "store/store.h"

namespace pn::metrics {

// A failing store call leaves its gauges absent (SetScrapeGauges keeps their previous values;
// the failure itself shows in pn_database_errors_total through the instrumented store).
// `subscriptions_active` is passed through (it is the match index's size, not a query).
ScrapeGauges ReadScrapeGauges(DeliveryStore& deliveries, SubscriptionStore& subscriptions,
                              std::optional<int64_t> subscriptions_active, const Clock& clock);

}  // namespace pn::metrics
