// ReadScrapeGauges (see scrape_gauges.h).
#include "metrics/scrape_gauges.h"

#include <algorithm>
#include <chrono>

namespace pn::metrics {
namespace {

// Seconds from `since` to `now`; 0 when `since` is absent or in the future (clocks of several
// processes sharing a database may disagree a little, and a negative age means nothing).
double SecondsSince(std::optional<Timestamp> since, Timestamp now) {
  if (!since) return 0.0;
  return std::max(0.0, std::chrono::duration<double>(now - *since).count());
}

}  // namespace

ScrapeGauges ReadScrapeGauges(DeliveryStore& deliveries, SubscriptionStore& subscriptions,
                              std::optional<int64_t> subscriptions_active, const Clock& clock) {
  ScrapeGauges g;
  const Timestamp now = clock.Now();
  if (auto pending = deliveries.SummarizePending(); pending.ok()) {
    g.deliveries_pending = pending->count;
    g.oldest_pending_age_seconds = SecondsSince(pending->oldest_created, now);
  }
  if (auto next = deliveries.NextDueAt(); next.ok()) {
    g.oldest_pending_due_seconds = SecondsSince(*next, now);
  }
  if (auto disabled = subscriptions.CountDisabled(); disabled.ok()) {
    g.subscriptions_disabled = *disabled;
  }
  g.subscriptions_active = subscriptions_active;
  return g;
}

}  // namespace pn::metrics
