#include "delivery/attempt.h"

#include "delivery/outcome.h"

namespace pn::delivery {
namespace {

// Copies one answer into the attempt and the latest-outcome columns ("" when absent, as the
// original left them).
void Fill(const std::optional<outbound::OutboundResponse>& r, std::size_t limit,
          std::optional<int>& status, std::string& body, std::string& status_column,
          std::string& body_column, DeliveryAttempt& attempt) {
  status_column.clear();
  body_column.clear();
  if (!r) return;
  attempt.duration += r->duration;
  if (r->has_status()) {
    status = r->status;
    body = StoredText(r->body, limit);
    status_column = std::to_string(r->status);
    body_column = body;
  } else if (attempt.error.empty()) {
    attempt.error = r->error;
  }
}

}  // namespace

AttemptRecord ConcludeAttempt(const Delivery& claimed, const AttemptFacts& facts,
                              RetryPolicy& retry, Timestamp now, std::size_t body_limit) {
  AttemptRecord rec;
  Delivery& d = rec.delivery;
  DeliveryAttempt& a = rec.attempt;
  d = claimed;
  d.attempts += 1;
  d.updated = now;
  d.lease_owner.clear();
  d.lease_expires.reset();
  a.delivery_uuid = d.uuid;
  a.number = d.attempts;
  a.started = facts.started;
  Fill(facts.policy, body_limit, a.policy_status, a.policy_body, d.policy_status_code,
       d.policy_resp_body, a);
  Fill(facts.target, body_limit, a.target_status, a.target_body, d.target_status_code,
       d.target_resp_body, a);

  auto schedule = [&](std::optional<Duration> retry_after, const std::string& failure,
                      bool disable_when_exhausted) {
    if (auto next = retry.NextAttemptAt(d.attempts, retry_after, now)) {
      d.state = DeliveryState::kPending;
      d.next_attempt_at = *next;
      return;
    }
    d.state = DeliveryState::kFailed;
    if (disable_when_exhausted) rec.disable_error = failure;
  };

  if (!facts.impossible.empty()) {
    d.state = DeliveryState::kFailed;
    a.error = facts.impossible;
    return rec;
  }
  if (facts.policy) {
    Outcome policy = ClassifyPolicyResponse(*facts.policy);
    if (policy.verdict == Verdict::kDenied) {
      d.state = DeliveryState::kDenied;
      return rec;
    }
    if (policy.verdict != Verdict::kProceed) {
      // A policy outage is never the subscription's fault: retry, and never disable.
      schedule(std::nullopt, policy.failure, /*disable_when_exhausted=*/false);
      return rec;
    }
  }
  if (!facts.target) {
    d.state = DeliveryState::kFailed;
    a.error = "internal error: the target was not called";
    return rec;
  }
  Outcome target = ClassifyTargetResponse(*facts.target, now);
  switch (target.verdict) {
    case Verdict::kDelivered:
      d.state = DeliveryState::kDelivered;
      break;
    case Verdict::kFailAndDisable:
      d.state = DeliveryState::kFailed;
      rec.disable_error = target.failure;
      break;
    default:
      schedule(target.retry_after, target.failure, /*disable_when_exhausted=*/true);
      break;
  }
  return rec;
}

}  // namespace pn::delivery
