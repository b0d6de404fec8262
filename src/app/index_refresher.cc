#include "app/index_refresher.h"

#include <spdlog/spdlog.h>

namespace pn::app {

IndexRefresher::IndexRefresher(SubscriptionStore& store, match::SubscriptionIndex& index,
                               IndexRefresherOptions options)
    : store_(store), index_(index), options_(options) {
  thread_ = std::thread([this] { Loop(); });
}

IndexRefresher::~IndexRefresher() { Stop(); }

void IndexRefresher::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t IndexRefresher::syncs() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

int64_t IndexRefresher::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

void IndexRefresher::Loop() {
  bool failing = false;  // log the first error of a streak and the recovery, not every retry
  while (true) {
    // The version is read before Sync: a change committed after this read wakes the wait
    // below at once, even when Sync already saw it (a spare Sync is cheap: it compares versions).
    Result<int64_t> version = store_.ChangeVersion();
    Status st = version.ok() ? index_.Sync() : version.status();
    {
      std::lock_guard lock(mu_);
      ++(st.ok() ? syncs_ : failures_);
    }
    if (!st.ok()) {
      if (!failing) {
        spdlog::warn("subscription index: cannot refresh from the database ({}); matching uses "
                     "the subscriptions known so far and retries every {} ms",
                     st.ToString(),
                     std::chrono::duration_cast<std::chrono::milliseconds>(options_.error_wait)
                         .count());
      }
      failing = true;
      if (!Pause(options_.error_wait)) return;
      continue;
    }
    if (failing) spdlog::info("subscription index: refreshed from the database again");
    failing = false;
    if (!WaitForChange(*version)) return;
  }
}

bool IndexRefresher::WaitForChange(int64_t seen) {
  bool notifications;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    notifications = notifications_;
  }
  if (notifications) {
    // Bounded by poll_interval, so Stop() is heard within it and a lost notification costs at
    // most one interval. OK (a change) and DeadlineExceeded both lead to the next Sync.
    Status st = store_.WaitForChange(seen, options_.poll_interval);
    if (st.ok() || st.code() == StatusCode::kDeadlineExceeded) {
      std::lock_guard lock(mu_);
      return !stopping_;
    }
    if (st.code() == StatusCode::kUnimplemented) {
      std::lock_guard lock(mu_);
      notifications_ = false;  // this store cannot notify: poll from now on
    }
    // Any other answer came at once: pause so that the loop does not spin.
  }
  return Pause(options_.poll_interval);
}

bool IndexRefresher::Pause(Duration d) {
  std::unique_lock lock(mu_);
  return !stop_cv_.wait_for(lock, d, [&] { return stopping_; });
}

}  // namespace pn::app
