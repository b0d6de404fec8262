#include "model/delivery.h"

namespace pn {

std::string_view DeliveryStateName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending: return "pending";
    case DeliveryState::kDelivered: return "delivered";
    case DeliveryState::kDenied: return "denied";
    case DeliveryState::kFailed: return "failed";
  }
  return "pending";
}

std::optional<DeliveryState> ParseDeliveryState(std::string_view name) {
  if (name == "pending") return DeliveryState::kPending;
  if (name == "delivered") return DeliveryState::kDelivered;
  if (name == "denied") return DeliveryState::kDenied;
  if (name == "failed") return DeliveryState::kFailed;
  return std::nullopt;
}

}  // namespace pn
