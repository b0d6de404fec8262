#include "ingest/new_delivery.h"

#include "common/uuid.h"

namespace pn::ingest {

Delivery NewPendingDelivery(std::string event_uuid, std::string subscription_uuid, Timestamp now,
                            RandomSource& random) {
  Delivery d;
  d.uuid = NewUuid4(random);
  d.event_uuid = std::move(event_uuid);
  d.subscription_uuid = std::move(subscription_uuid);
  d.state = DeliveryState::kPending;
  d.attempts = 0;
  d.next_attempt_at = now;
  d.created = now;
  d.updated = now;
  return d;
}

}  // namespace pn::ingest
