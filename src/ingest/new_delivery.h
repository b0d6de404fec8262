// The pending delivery created for each (event, matching subscription), shared by /receive and
// the eventretry command so both hand the same thing to the delivery workers.
// Thread-safety: pure function (the RandomSource given must not be shared unlocked).
#pragma once

#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "model/delivery.h"

namespace pn::ingest {

// state pending, no attempts, due now (next_attempt_at = created = updated = now), new uuid.
Delivery NewPendingDelivery(std::string event_uuid, std::string subscription_uuid, Timestamp now,
                            RandomSource& random);

}  // namespace pn::ingest
