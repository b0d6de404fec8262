// GET /eventmatch/<uuid>/deliveries: the caller's subscription's most recent deliveries
// (newest first, at most kMaxDeliveries), each with the event it carried and every attempt
// (times, statuses, response bodies). Unknown, foreign or deleted subscriptions answer 403 like
// GET /eventmatch/<uuid>; a malformed uuid 400. The dashboard (/ui) reads it.
// Thread-safety: the handler may run concurrently; the service and stores must outlive it.
#pragma once

#include "api/eventmatch_handler.h"
#include "api/router.h"
#include "api/subscription_service.h"
#include "json/json.h"
#include "store/store.h"

namespace pn::api {

inline constexpr int kMaxDeliveries = 100;

void AddDeliveriesResource(Router& router, SubscriptionService& service, DeliveryStore& deliveries,
                           EventStore& events, IdentityOptions identity);

// The JSON form of one delivery with its event (null when purged) and attempts; shared with
// tests and documented in src/api/openapi.json as "Delivery".
Json DeliveryToJson(const Delivery& d, const std::vector<DeliveryAttempt>& attempts,
                    const std::optional<StoredEvent>& event);

}  // namespace pn::api
