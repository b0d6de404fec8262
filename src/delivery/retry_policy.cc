#include "delivery/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace pn::delivery {

std::vector<Duration> RetryPolicy::DefaultSchedule() {
  using std::chrono::seconds;
  return {seconds(5),    seconds(30),    seconds(120),   seconds(600),  seconds(1800),
          seconds(3600), seconds(10800), seconds(21600), seconds(43200)};
}

RetryPolicy::RetryPolicy(std::vector<Duration> schedule, double jitter, RandomSource& random)
    : schedule_(std::move(schedule)), jitter_(std::clamp(jitter, 0.0, 1.0)), random_(random) {
  for (Duration d : schedule_) max_step_ = std::max(max_step_, d);
}

std::optional<Timestamp> RetryPolicy::NextAttemptAt(int attempts_made,
                                                    std::optional<Duration> retry_after,
                                                    Timestamp now) {
  if (attempts_made < 1 || static_cast<std::size_t>(attempts_made) > schedule_.size()) {
    return std::nullopt;
  }
  Duration step = schedule_[attempts_made - 1];
  double factor = 1.0 + jitter_ * (2.0 * random_.NextUnit() - 1.0);
  auto wait =
      Duration(static_cast<int64_t>(std::llround(static_cast<double>(step.count()) * factor)));
  if (retry_after) wait = std::max(wait, std::min(*retry_after, max_step_));
  return now + wait;
}

}  // namespace pn::delivery
