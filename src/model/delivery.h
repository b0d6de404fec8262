// Delivery: one (event, subscription) pair to deliver. It is a row of the original's
// `eventlogmatch` table extended with our delivery state, plus the history of its attempts.
// Thread-safety: plain value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace pn {

enum class DeliveryState {
  kPending,    // waiting for its first attempt or a retry (next_attempt_at)
  kDelivered,  // the target answered 2xx
  kDenied,     // the policy service answered 4xx
  kFailed,     // retries exhausted, target answered 410, or the subscription went away
};

std::string_view DeliveryStateName(DeliveryState s);  // "pending", "delivered", ...
std::optional<DeliveryState> ParseDeliveryState(std::string_view name);

struct Delivery {
  std::string uuid;               // eventlogmatch.uuid
  std::string event_uuid;         // eventlogmatch.event_log_id
  std::string subscription_uuid;  // eventlogmatch.event_match_id
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  Timestamp next_attempt_at{};
  // Latest outcome, kept in the original's columns so `eventget` prints what it printed.
  std::string policy_status_code;
  std::string policy_resp_body;
  std::string target_status_code;
  std::string target_resp_body;
  Timestamp created{};
  Timestamp updated{};
  // Who is working on it, until when (empty / nullopt when nobody).
  std::string lease_owner;
  std::optional<Timestamp> lease_expires;
};

struct DeliveryAttempt {
  std::string delivery_uuid;
  int number = 0;  // 1-based
  Timestamp started{};
  Duration duration{};
  std::optional<int> policy_status;  // nullopt: no answer (transport error) or not asked
  std::string policy_body;
  std::optional<int> target_status;  // nullopt: no answer or not attempted
  std::string target_body;
  std::string error;  // transport error text, empty when a status was received
};

}  // namespace pn
