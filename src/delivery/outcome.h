// Outcome classification (DESIGN §5): what a policy or target answer means for a delivery, and
// the Retry-After header. Pure functions; the retry schedule is applied by RetryPolicy.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "outbound/http_client.h"

namespace pn::delivery {

enum class Verdict {
  kProceed,         // policy allowed: go on to the target
  kDelivered,       // target 2xx
  kDenied,          // policy 4xx: final, never retried
  kRetry,           // try again on the schedule (no sooner than retry_after when set)
  kFailAndDisable,  // target 410 Gone: final, and the subscription is disabled now
};

struct Outcome {
  Verdict verdict = Verdict::kRetry;
  std::optional<Duration> retry_after;  // from Retry-After on 429/503
  // For a person: the response body for a status (or a note when it is empty), the transport
  // error text when there was no answer. Becomes the subscription's `error` when it is disabled.
  std::string failure;
};

// 2xx proceed; 4xx denied; anything else (5xx, 1xx/3xx, timeout, connection error) retry.
Outcome ClassifyPolicyResponse(const outbound::OutboundResponse& response);

// 2xx delivered; 410 fail and disable; 429/503 with a usable Retry-After retry no sooner than
// that; anything else retry on the schedule. `now` resolves HTTP-date Retry-After values.
Outcome ClassifyTargetResponse(const outbound::OutboundResponse& response, Timestamp now);

// Retry-After as delta-seconds or HTTP-date (IMF-fixdate, RFC 850, asctime); a date in the past
// gives 0. nullopt when the value is neither.
std::optional<Duration> ParseRetryAfter(std::string_view value, Timestamp now);

// Response bytes as storable text: invalid UTF-8 replaced by U+FFFD, cut at a character boundary
// to at most `limit` bytes.
std::string StoredText(std::string_view bytes, std::size_t limit);

}  // namespace pn::delivery
