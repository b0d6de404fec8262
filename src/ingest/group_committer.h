// Group commit for /receive: requests from any number of connections are queued; one committer
// thread takes everything queued, matches each event against the subscription index, stores all
// events and their pending deliveries in ONE EventStore::Append transaction (one disk sync per
// batch, not per request), completes every request of the batch, then notifies the delivery
// workers. Nothing is acknowledged before it is durable; on a store error every request of the
// batch fails with Unavailable and nothing of it was stored.
// Thread-safety: Submit and Stop may be called from any thread. Callbacks run on the committer
// thread (or on the caller's thread when the committer has stopped).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "json/json.h"
#include "match/subscription_index.h"
#include "metrics/metrics.h"
#include "store/store.h"

namespace pn::ingest {

struct GroupCommitterOptions {
  // Upper bound on events per transaction; a request is never split across transactions.
  size_t max_batch_events = 4096;
  // Told how long matching each event took; nullptr: not measured.
  metrics::Metrics* metrics = nullptr;
};

struct GroupCommitterStats {
  int64_t transactions = 0;  // successful Append calls
  int64_t failed_transactions = 0;
  int64_t events = 0;        // events stored
  int64_t deliveries = 0;    // deliveries stored
};

class GroupCommitter {
 public:
  // With the stored event uuids in request order, or the error.
  using Done = std::function<void(Result<std::vector<std::string>>)>;

  // `random` is used only by the committer thread (uuids of events and deliveries); the
  // event's `created` comes from `clock`. `notify` is called after each commit that stored at
  // least one delivery. All references must outlive this object. Starts the thread.
  GroupCommitter(EventStore& events, match::SubscriptionIndex& index, const Clock& clock,
                 RandomSource& random, std::function<void()> notify,
                 GroupCommitterOptions options = {});
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues the events of one request; `done` is called exactly once.
  void Submit(std::vector<Json> events, Done done);
  // Commits everything already queued, then stops the thread. Later submits fail at once with
  // Unavailable. Idempotent.
  void Stop();

  GroupCommitterStats stats() const;

 private:
  struct Pending {
    std::vector<Json> events;
    Done done;
  };

  void Run();
  void CommitBatch(std::vector<Pending>& batch);

  EventStore& events_;
  match::SubscriptionIndex& index_;
  const Clock& clock_;
  RandomSource& random_;
  std::function<void()> notify_;
  const GroupCommitterOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  GroupCommitterStats stats_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace pn::ingest
