// DeliveryWorker: takes pending deliveries from the DeliveryStore and carries each through
// prepare → policy call → target call → record → schedule (DESIGN §5). Outbound calls go through
// the injected asynchronous HttpClient; HTTP callbacks only post results to an inbox, and all
// decisions and store writes run on one processing thread (the loop started by Start(), or the
// caller of RunOnce() in tests). Time comes from the injected Clock, jitter from RandomSource.
// Throughput: a claim takes no more than there is room for; work of a target that has its full
// queue (saturated) is skipped by claims rather than claimed and handed back, so it neither
// blocks other targets nor costs writes; every attempt concluded in one pass of the loop is
// recorded in one transaction (DeliveryStore::RecordAttempts).
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
#include <unordered_map>
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
  int max_in_flight = 1024;          // deliveries held (in flight or queued) over all targets
  // Claimed deliveries waiting for a slot of their target. A target whose queue is full is
  // "saturated": claims skip its subscriptions' work until the queue has drained to half.
  int max_queued_per_target = 32;
  std::size_t response_body_limit = 65536;
  // Deliveries taken per claim. At most half of max_queued_per_target, so that a claim made
  // when a saturated target resumes fits into its queue (nothing has to be handed back).
  int claim_batch = 16;
  Duration lease_margin = std::chrono::seconds(30);
  // An idle worker asks the store at least this often (work from other processes, clock drift).
  Duration idle_recheck = std::chrono::seconds(5);
  // While a target is saturated, a claim that skips its work makes the store read past that
  // work; when such a claim found nothing, the next one waits at least this long (or ten times
  // the last claim's duration, whichever is longer) unless a target resumes while another
  // stays saturated. 0 = no pause.
  Duration saturated_claim_pause = std::chrono::milliseconds(20);
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
  int64_t claims = 0;       // ClaimDueSkipping calls
  int64_t record_batches = 0;  // RecordAttempts calls
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
    bool saturated = false;  // claims skip this target's subscriptions (see WorkerOptions)
  };
  // Events and subscriptions loaded by recent claims (worker.cc).
  struct RoundCache;

  void Loop();
  // One pass: answers, a claim, records. True when anything happened.
  bool Round();
  bool DrainCompletions();
  int ClaimAndStart();
  bool AnySaturated() const;  // some target's queue is full (its work is skipped by claims)
  std::vector<std::string> SkippedSubscriptions() const;
  void Admit(Delivery d, RoundCache& cache, const std::string& event_uuid, const Subscription& s,
             std::vector<LeaseRelease>& overflow);
  void StartReady(const std::string& target_key);
  void Send(uint64_t id, const outbound::OutboundRequest& request);
  void Handle(Completion c);
  void Finish(uint64_t id);
  void Record(const Delivery& d, const AttemptFacts& facts);
  void FlushRecords();
  void HandBack(std::vector<LeaseRelease> releases);
  void DrainForStop(std::chrono::steady_clock::time_point deadline);
  void PublishStats();
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
  std::unordered_map<uint64_t, Job> jobs_;
  std::unordered_map<std::string, TargetSlots> targets_;
  // The target of each subscription seen lately (for the claims' skip list); bounded.
  std::unordered_map<std::string, std::string> subscription_targets_;
  std::unique_ptr<RoundCache> cache_;
  std::vector<AttemptRecord> unrecorded_;  // concluded this round, stored by FlushRecords
  uint64_t next_job_id_ = 1;
  int in_flight_ = 0;
  bool stopped_ = false;
  bool last_claim_saturated_ = false;
  // No claim skipping saturated targets before this (see saturated_claim_pause).
  std::chrono::steady_clock::time_point skip_claims_until_{};

  mutable std::mutex stats_mu_;
  WorkerStats stats_;

  std::mutex thread_mu_;
  std::thread thread_;
};

// "host:port" of an http(s) URL (lower-case host, default port filled in), the unit of the
// per-target in-flight cap; the URL itself when it cannot be parsed.
std::string TargetKey(std::string_view url);

}  // namespace pn::delivery
