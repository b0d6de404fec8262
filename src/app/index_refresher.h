// Keeps a process's subscription index in step with the shared store: a background thread waits
// for the store's change notifications (PostgreSQL LISTEN/NOTIFY) or, when the store has none,
// for `poll_interval`, and then calls SubscriptionIndex::Sync(), so subscription changes made by
// any process sharing the database reach this process's matching within about a second.
// Thread-safety: construct and destroy from one thread; the thread it runs only reads the store
// and syncs the index, both of which are thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "match/subscription_index.h"
#include "store/store.h"

namespace pn::app {

struct IndexRefresherOptions {
  // The longest wait between two checks of the store's ChangeVersion: the latency bound when
  // notifications are unavailable or were lost (the database went away and came back).
  Duration poll_interval = std::chrono::seconds(1);
  // After a store error (database unreachable): how long until the next try.
  Duration error_wait = std::chrono::seconds(1);
};

class IndexRefresher {
 public:
  // Starts the thread at once. The store and the index must outlive the refresher.
  IndexRefresher(SubscriptionStore& store, match::SubscriptionIndex& index,
                 IndexRefresherOptions options = {});
  ~IndexRefresher();  // Stop()
  IndexRefresher(const IndexRefresher&) = delete;
  IndexRefresher& operator=(const IndexRefresher&) = delete;

  // Ends the thread; it returns within one WaitForChange timeout (at most poll_interval).
  // Idempotent.
  void Stop();

  // Completed Sync() calls that returned OK, and those that failed (tests, diagnosis).
  int64_t syncs() const;
  int64_t failures() const;

 private:
  void Loop();
  // Waits for a change after `seen` (or the poll interval); false when stopping.
  bool WaitForChange(int64_t seen);
  // Waits `d` unless stopping first; false when stopping.
  bool Pause(Duration d);

  SubscriptionStore& store_;
  match::SubscriptionIndex& index_;
  const IndexRefresherOptions options_;
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;       // guarded by mu_
  bool notifications_ = true;   // guarded by mu_; false once the store said Unimplemented
  int64_t syncs_ = 0;           // guarded by mu_
  int64_t failures_ = 0;        // guarded by mu_
  std::thread thread_;
};

}  // namespace pn::app
