// DeliveryWorker: takes pending deliveries from the DeliveryStore and carries each through
// prepare → policy call → target call → record → schedule (DESIGN §5). Outbound calls go through
// the injected asynchronous HttpClient; HTTP callbacks only post results to an inbox, and all
// decisions and store writes run on one processing thread (the loop started by Start(), or the
// caller of RunOnce() in tests). Time comes from the injected Clock, jitter from RandomSource.
// Thread-safety: Notify() and Stop() may be called from any thread; RunOnce() must not run
// concurrently with Start()'s loop. The stores, client, clock and random source must outlive it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "delivery/attempt.h"
#include "delivery/retry_policy.h"
#include "outbound/http_client.h"
#include "store/store.h"

namespace pn::delivery {

struct WorkerOptions {
  std::string owner;       // lease owner id, unique per process (e.g. "host:pid:uuid")
  std::string policy_url;  // "" = no policy check
  Duration policy_timeout = std::chrono::seconds(10);
  Duration target_timeout = std::chrono::seconds(30);
  std::vector<Duration> retry_schedule = RetryPolicy::DefaultSchedule();
  double jitter = 0.2;
  int max_in_flight_per_target = 8;  // per host:port of target_url
  int max_in_flight = 1024;          // deliveries in flight over all targets
  // Claimed deliveries waiting for a slot of their target; beyond this they are handed back.
  int max_queued_per_target = 32;
  std::size_t response_body_limit = 65536;
  int claim_batch = 256;
  Duration lease_margin = std::chrono::seconds(30);
  // An idle worker asks the store at least this often (work from other processes, clock drift).
  Duration idle_recheck = std::chrono::seconds(5);
  // How far a delivery handed back for lack of a slot is pushed into the future.
  Duration overflow_defer = std::chrono::seconds(1);
  // Called on the processing thread after each attempt is stored (metrics, tests). Must not
  // call back into the worker.
  std::function<void(const AttemptRecord&)> on_recorded;
};

struct WorkerStats {
  int64_t claimed = 0;
  int64_t delivered = 0;
  int64_t denied = 0;
  int64_t failed = 0;
  int64_t retries_scheduled = 0;
  int64_t store_errors = 0;
  int64_t handed_back = 0;  // leases released without an attempt
  int in_flight = 0;
  int queued = 0;
};

class Worker {
 public:
  static constexpr char kSubscriptionGone[] = "subscription disabled/deleted before delivery";

  Worker(WorkerOptions options, DeliveryStore& deliveries, EventStore& events,
         SubscriptionStore& subscriptions, outbound::HttpClient& http, const Clock& clock,
         RandomSource& random);
  ~Worker();  // Stop(0) when still running
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts the processing loop on its own thread: it resumes every pending delivery at once
  // (expired leases included) and then wakes on NextDueAt(), Notify(), or finished calls.
  void Start();
  // New work was committed (the receive side calls this after its commit).
  void Notify();
  // One round on the calling thread: handle finished calls, claim what is due and start it,
  // until nothing more happens now. For tests and for callers without Start().
  void RunOnce();
  // Stops claiming, hands back queued work, waits up to `grace` for calls in flight (recording
  // those that finish), then releases the leases of the rest. Idempotent.
  void Stop(std::chrono::milliseconds grace);

  // Lease length: the worst-case time from claim to record, queueing for a slot included.
  Duration LeaseDuration() const;
  WorkerStats stats() const;

 private:
  enum class Phase { kQueued, kPolicy, kTarget };
  struct Job {
    Delivery delivery;
    Subscription subscription;
    std::string target_key;
    std::optional<outbound::OutboundRequest> policy_request;
    outbound::OutboundRequest target_request;
    AttemptFacts facts;
    Phase phase = Phase::kQueued;
  };
  struct Completion {
    uint64_t job_id;
    outbound::OutboundResponse response;
  };
  // Shared with HTTP callbacks, which may outlive the worker.
  struct Inbox {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Completion> done;
    bool notified = false;
    bool stop = false;
    std::chrono::steady_clock::time_point stop_deadline;
  };
  struct TargetSlots {
    int in_flight = 0;
    std::deque<uint64_t> queue;
  };

  void Loop();
  bool DrainCompletions();
  int ClaimAndStart();
  void Admit(Delivery d, const std::string& event_json, const Result<Json>& event,
             const Subscription& s);
  void StartReady(const std::string& target_key);
  void Send(uint64_t id, const outbound::OutboundRequest& request);
  void Handle(Completion c);
  void Finish(uint64_t id);
  void Record(const Delivery& d, const AttemptFacts& facts);
  bool HandBack(const Delivery& d, Timestamp next_attempt_at);
  void DrainForStop(std::chrono::steady_clock::time_point deadline);
  Duration WaitTime(bool claim_saturated);

  const WorkerOptions options_;
  DeliveryStore& deliveries_;
  EventStore& events_;
  SubscriptionStore& subscriptions_;
  outbound::HttpClient& http_;
  const Clock& clock_;
  RetryPolicy retry_;
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();

  // Processing-thread state, guarded by run_mu_ (one processing thread at a time).
  std::mutex run_mu_;
  std::map<uint64_t, Job> jobs_;
  std::map<std::string, TargetSlots> targets_;
  uint64_t next_job_id_ = 1;
  bool stopped_ = false;
  bool last_claim_saturated_ = false;

  mutable std::mutex stats_mu_;
  WorkerStats stats_;

  std::mutex thread_mu_;
  std::thread thread_;
};

// "host:port" of an http(s) URL (lower-case host, default port filled in), the unit of the
// per-target in-flight cap; the URL itself when it cannot be parsed.
std::string TargetKey(std::string_view url);

}  // namespace pn::delivery
