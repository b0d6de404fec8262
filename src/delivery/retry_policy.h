// RetryPolicy: when to try a failed delivery again (DESIGN §5.3). A pure function of the attempt
// number, the outcome's Retry-After and now, plus jitter drawn from an injected RandomSource.
// Thread-safety: not thread-safe (the RandomSource is used unlocked); one per worker thread.
#pragma once

#include <optional>
#include <vector>

#include "common/clock.h"
#include "common/random.h"

namespace pn::delivery {

class RetryPolicy {
 public:
  // 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h.
  static std::vector<Duration> DefaultSchedule();

  // `schedule[i]` is the wait after attempt i+1; `jitter` in [0, 1] spreads each wait by ±jitter.
  RetryPolicy(std::vector<Duration> schedule, double jitter, RandomSource& random);

  // When to make attempt `attempts_made + 1`, or nullopt when the schedule is exhausted.
  // A Retry-After is honoured (never retried sooner), capped to the largest schedule step.
  std::optional<Timestamp> NextAttemptAt(int attempts_made, std::optional<Duration> retry_after,
                                         Timestamp now);

  const std::vector<Duration>& schedule() const { return schedule_; }
  Duration max_step() const { return max_step_; }

 private:
  std::vector<Duration> schedule_;
  double jitter_;
  RandomSource& random_;
  Duration max_step_{0};
};

}  // namespace pn::delivery
