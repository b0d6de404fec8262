// A Store decorator that times every operation of the store it wraps and reports it to
// Metrics::DatabaseCall as "<interface>.<Method>" (e.g. "events.Append"), so database latency
// is measured for every backend without the backends knowing about metrics.
// Thread-safety: as the wrapped store; the wrapped store and the metrics must outlive it.
#pragma once

#include <memory>

#include "metrics/metrics.h"
#include "store/store.h"

namespace pn::metrics {

class InstrumentedStore final : public Store {
 public:
  InstrumentedStore(Store& inner, Metrics& metrics);
  ~InstrumentedStore() override;

  SubscriptionStore& subscriptions() override;
  EventStore& events() override;
  DeliveryStore& deliveries() override;
  SchemaManager& schema() override;
  Status Ping() override;

 private:
  struct Parts;
  Store& inner_;
  Metrics& metrics_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace pn::metrics
