// The "record" step of a delivery attempt: from what happened (policy and target answers, or why
// no call was made) to the rows to store: the updated delivery, the attempt, and whether the
// subscription is disabled. Pure apart from the jitter drawn through RetryPolicy.
// Thread-safety: as RetryPolicy (one per worker thread).
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "delivery/retry_policy.h"
#include "model/delivery.h"
#include "outbound/http_client.h"

namespace pn::delivery {

struct AttemptFacts {
  Timestamp started{};
  std::optional<outbound::OutboundResponse> policy{};  // nullopt: no policy check configured
  std::optional<outbound::OutboundResponse> target{};  // nullopt: not called (denied, retry...)
  // Set when the delivery cannot be made at all (subscription gone, unmergeable event): the
  // delivery fails at once with this error and nothing is disabled.
  std::string impossible{};
};

struct AttemptRecord {
  Delivery delivery;  // attempts+1, state, next_attempt_at, latest columns, lease released
  DeliveryAttempt attempt;
  std::optional<std::string> disable_error;  // disable the subscription with this error
};

AttemptRecord ConcludeAttempt(const Delivery& claimed, const AttemptFacts& facts,
                              RetryPolicy& retry, Timestamp now, std::size_t body_limit);

}  // namespace pn::delivery
