#include "delivery/worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "delivery/outcome.h"
#include "delivery/request_builder.h"

namespace pn::delivery {

std::string TargetKey(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), ::tolower);
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  std::string host(authority);
  std::string port;
  auto colon = authority.rfind(':');
  auto bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = std::string(authority.substr(0, colon));
    port = std::string(authority.substr(colon + 1));
  }
  if (port.empty()) port = scheme == "https" ? "443" : "80";
  std::transform(host.begin(), host.end(), host.begin(), ::tolower);
  return host + ":" + port;
}

namespace {

// Subscriptions remembered for the skip list; beyond this the memory is cleared (the skip list
// then misses some until they are claimed again, which costs at most a hand-back).
constexpr std::size_t kMaxRememberedSubscriptions = 4096;
// How often a busy worker looks for due work when no call finishes (WaitTime).
constexpr Duration kBusyRecheck = std::chrono::milliseconds(100);

}  // namespace

// Consecutive claims share events and subscriptions: each event is loaded, parsed and (for
// subscriptions without extensions) serialized once while it is recent; subscriptions are kept
// while the store's ChangeVersion stays the same, so a subscription disabled or deleted is
// still noticed before the next attempt.
struct Worker::RoundCache {
  struct Event {
    std::optional<StoredEvent> row;
    std::optional<Result<Json>> parsed;  // parsed on first use
    std::optional<std::string> plain_body;  // TargetBody for subscriptions without extensions
  };
  static constexpr std::size_t kMaxEvents = 256;  // beyond this the cache starts over
  std::unordered_map<std::string, Event> events;
  std::unordered_map<std::string, std::optional<Subscription>> subscriptions;
  std::optional<int64_t> subscriptions_version;  // of the store when `subscriptions` was valid
};

Worker::Worker(WorkerOptions options, DeliveryStore& deliveries, EventStore& events,
               SubscriptionStore& subscriptions, outbound::HttpClient& http, const Clock& clock,
               RandomSource& random)
    : options_(std::move(options)),
      deliveries_(deliveries),
      events_(events),
      subscriptions_(subscriptions),
      http_(http),
      clock_(clock),
      retry_(options_.retry_schedule, options_.jitter, random),
      cache_(std::make_unique<RoundCache>()) {}

Worker::~Worker() { Stop(std::chrono::milliseconds(0)); }

Duration Worker::LeaseDuration() const {
  Duration attempt = options_.policy_timeout + options_.target_timeout + options_.lease_margin;
  int per_target = std::max(1, options_.max_in_flight_per_target);
  int rounds = 1 + (std::max(0, options_.max_queued_per_target) + per_target - 1) / per_target;
  return attempt * rounds;
}

WorkerStats Worker::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

void Worker::Start() {
  std::lock_guard lock(thread_mu_);
  if (thread_.joinable()) return;
  {
    std::lock_guard inbox_lock(inbox_->mu);
    if (inbox_->stop) return;
  }
  thread_ = std::thread([this] { Loop(); });
}

void Worker::Notify() {
  {
    std::lock_guard lock(inbox_->mu);
    inbox_->notified = true;
  }
  inbox_->cv.notify_all();
}

bool Worker::Round() {
  bool handled = DrainCompletions();
  int claimed = ClaimAndStart();
  handled = DrainCompletions() || handled;
  // Everything concluded in this pass, in one transaction.
  FlushRecords();
  PublishStats();
  return handled || claimed > 0;
}

void Worker::RunOnce() {
  std::lock_guard lock(run_mu_);
  if (stopped_) return;
  while (Round()) {
  }
}

void Worker::Stop(std::chrono::milliseconds grace) {
  auto deadline = std::chrono::steady_clock::now() + grace;
  {
    std::lock_guard lock(inbox_->mu);
    if (!inbox_->stop) inbox_->stop_deadline = deadline;
    inbox_->stop = true;
  }
  inbox_->cv.notify_all();
  std::lock_guard lock(thread_mu_);
  if (thread_.joinable()) {
    thread_.join();
    return;
  }
  std::lock_guard run_lock(run_mu_);
  if (!stopped_) DrainForStop(deadline);
}

void Worker::Loop() {
  while (true) {
    Duration wait;
    {
      std::lock_guard lock(run_mu_);
      while (Round()) {
      }
      wait = WaitTime(last_claim_saturated_);
    }
    std::unique_lock lock(inbox_->mu);
    inbox_->cv.wait_for(lock, wait,
                        [&] { return inbox_->stop || inbox_->notified || !inbox_->done.empty(); });
    inbox_->notified = false;
    if (inbox_->stop) break;
  }
  std::chrono::steady_clock::time_point deadline;
  {
    std::lock_guard lock(inbox_->mu);
    deadline = inbox_->stop_deadline;
  }
  std::lock_guard lock(run_mu_);
  DrainForStop(deadline);
}

Duration Worker::WaitTime(bool claim_saturated) {
  Duration wait = options_.idle_recheck;
  // A claim paused for a saturated target: look again when the pause ends.
  auto steady_now = std::chrono::steady_clock::now();
  if (skip_claims_until_ > steady_now) {
    wait = std::min(wait, std::chrono::duration_cast<Duration>(skip_claims_until_ - steady_now));
  }
  if (static_cast<int>(jobs_.size()) >= options_.max_in_flight) {
    return wait;  // a finished call wakes us
  }
  if (claim_saturated) return Duration(0);
  if (!jobs_.empty()) {
    // Busy: finished calls wake us and each wake-up claims what is due, so the store is not
    // asked for the next due time (a scan of every pending delivery) after every pass; a
    // short recheck covers work that falls due while every call in flight is slow.
    return std::min(wait, kBusyRecheck);
  }
  Result<std::optional<Timestamp>> next = deliveries_.NextDueAt();
  if (!next.ok() || !next->has_value()) return wait;
  Duration until = **next - clock_.Now();
  // Due but not claimable: leased (by us or another process); look again later.
  if (until <= Duration(0)) return wait;
  return std::min(until, wait);
}

bool Worker::DrainCompletions() {
  bool any = false;
  while (true) {
    std::deque<Completion> batch;
    {
      std::lock_guard lock(inbox_->mu);
      batch.swap(inbox_->done);
    }
    if (batch.empty()) return any;
    any = true;
    for (Completion& c : batch) Handle(std::move(c));
  }
}

bool Worker::AnySaturated() const {
  return std::any_of(targets_.begin(), targets_.end(),
                     [](const auto& target) { return target.second.saturated; });
}

std::vector<std::string> Worker::SkippedSubscriptions() const {
  std::vector<std::string> skip;
  if (!AnySaturated()) return skip;
  for (const auto& [subscription, key] : subscription_targets_) {
    auto it = targets_.find(key);
    if (it != targets_.end() && it->second.saturated) skip.push_back(subscription);
  }
  return skip;
}

int Worker::ClaimAndStart() {
  int room = options_.max_in_flight - static_cast<int>(jobs_.size());
  last_claim_saturated_ = false;
  if (room <= 0) return 0;
  const std::vector<std::string> skip = SkippedSubscriptions();
  const auto steady_start = std::chrono::steady_clock::now();
  if (!skip.empty() && steady_start < skip_claims_until_) return 0;
  int limit = std::min(room, std::max(1, options_.claim_batch));
  Timestamp now = clock_.Now();
  Result<std::vector<Delivery>> claimed =
      deliveries_.ClaimDueSkipping(now, limit, options_.owner, now + LeaseDuration(), skip);
  {
    std::lock_guard lock(stats_mu_);
    ++stats_.claims;
  }
  if (!claimed.ok()) {
    spdlog::warn("delivery: claiming due deliveries failed: {}", claimed.status().ToString());
    std::lock_guard lock(stats_mu_);
    ++stats_.store_errors;
    return 0;
  }
  last_claim_saturated_ = static_cast<int>(claimed->size()) == limit;
  if (!skip.empty() && !last_claim_saturated_) {
    // Found all there is past the saturated targets' work: reading past it again right away
    // would mostly cost the store's time (see saturated_claim_pause).
    auto took = std::chrono::steady_clock::now() - steady_start;
    skip_claims_until_ = steady_start + std::max<std::chrono::steady_clock::duration>(
                                            options_.saturated_claim_pause, took * 10);
  }
  {
    std::lock_guard lock(stats_mu_);
    stats_.claimed += static_cast<int64_t>(claimed->size());
  }
  RoundCache& cache = *cache_;
  if (!claimed->empty()) {
    Result<int64_t> version = subscriptions_.ChangeVersion();
    // Without a version nothing tells when a copy goes stale: then only this claim shares them.
    if (!version.ok() || cache.subscriptions_version != *version) cache.subscriptions.clear();
    cache.subscriptions_version =
        version.ok() ? std::optional<int64_t>(*version) : std::nullopt;
    if (cache.events.size() > RoundCache::kMaxEvents) cache.events.clear();
  }
  std::vector<LeaseRelease> overflow;
  for (Delivery& d : *claimed) {
    auto ev = cache.events.find(d.event_uuid);
    if (ev == cache.events.end()) {
      Result<std::optional<StoredEvent>> found = events_.FindEvent(d.event_uuid);
      if (!found.ok()) {
        spdlog::warn("delivery {}: loading event {} failed: {}", d.uuid, d.event_uuid,
                     found.status().ToString());
        overflow.push_back({d.uuid, now + options_.idle_recheck});
        continue;
      }
      ev = cache.events.emplace(d.event_uuid, RoundCache::Event{std::move(found).value(), {}, {}})
               .first;
    }
    auto sub = cache.subscriptions.find(d.subscription_uuid);
    if (sub == cache.subscriptions.end()) {
      Result<std::optional<Subscription>> found = subscriptions_.Find(d.subscription_uuid);
      if (!found.ok()) {
        spdlog::warn("delivery {}: loading subscription {} failed: {}", d.uuid, d.subscription_uuid,
                     found.status().ToString());
        overflow.push_back({d.uuid, now + options_.idle_recheck});
        continue;
      }
      sub = cache.subscriptions.emplace(d.subscription_uuid, std::move(found).value()).first;
    }
    if (!ev->second.row) {
      Record(d, AttemptFacts{.started = now,
                             .impossible = "event " + d.event_uuid + " no longer exists"});
      continue;
    }
    // Checked at attempt time: a subscription disabled or deleted after the event arrived
    // gets nothing.
    if (!sub->second || !sub->second->active()) {
      Record(d, AttemptFacts{.started = now, .impossible = kSubscriptionGone});
      continue;
    }
    std::string event_uuid = d.event_uuid;
    Admit(std::move(d), cache, event_uuid, *sub->second, overflow);
  }
  HandBack(std::move(overflow));
  return static_cast<int>(claimed->size());
}

void Worker::Admit(Delivery d, RoundCache& cache, const std::string& event_uuid,
                   const Subscription& s, std::vector<LeaseRelease>& overflow) {
  RoundCache::Event& ev = cache.events.at(event_uuid);
  const std::string& event_json = ev.row->jsondata;
  if (!ev.parsed) ev.parsed = ParseStoredEvent(event_json);
  const Result<Json>& event = *ev.parsed;
  Timestamp now = clock_.Now();
  auto impossible = [&](const Status& why) {
    Record(d, AttemptFacts{.started = now, .impossible = "cannot deliver: " + why.message()});
  };
  if (!event.ok()) return impossible(event.status());
  // Most subscriptions add no extensions: their body is the same for one event.
  const bool plain = HasNoExtensions(s);
  Result<std::string> body = plain && ev.plain_body ? Result<std::string>(*ev.plain_body)
                                                    : TargetBody(s, *event);
  if (!body.ok()) return impossible(body.status());
  if (plain && !ev.plain_body) ev.plain_body = *body;
  Result<outbound::OutboundRequest> target = TargetRequestWithBody(
      s, std::move(body).value(), IsCloudEvents10(*event), options_.target_timeout);
  if (!target.ok()) return impossible(target.status());
  std::string key = TargetKey(s.target_url);
  if (subscription_targets_.size() >= kMaxRememberedSubscriptions &&
      !subscription_targets_.contains(s.uuid)) {
    subscription_targets_.clear();
  }
  subscription_targets_[s.uuid] = key;
  TargetSlots& slots = targets_[key];
  if (slots.in_flight >= options_.max_in_flight_per_target &&
      static_cast<int>(slots.queue.size()) >= options_.max_queued_per_target) {
    // Claimed before we knew its target was saturated: give it back untouched (claims now
    // skip this target's subscriptions, so it is not taken again while the target is busy).
    slots.saturated = true;
    overflow.push_back({d.uuid, d.next_attempt_at});
    return;
  }
  Job job;
  job.delivery = std::move(d);
  job.target_key = key;
  if (!options_.policy_url.empty()) {
    job.policy_request =
        BuildPolicyRequest(options_.policy_url, s.user, event_json, options_.policy_timeout);
    job.policy_request->max_response_bytes = options_.response_body_limit;
  }
  job.target_request = std::move(target).value();
  job.target_request.max_response_bytes = options_.response_body_limit;
  uint64_t id = next_job_id_++;
  jobs_.emplace(id, std::move(job));
  slots.queue.push_back(id);
  if (static_cast<int>(slots.queue.size()) >= options_.max_queued_per_target) {
    slots.saturated = true;
  }
  StartReady(key);
}

void Worker::StartReady(const std::string& target_key) {
  auto it = targets_.find(target_key);
  if (it == targets_.end()) return;
  TargetSlots& slots = it->second;
  while (slots.in_flight < options_.max_in_flight_per_target && !slots.queue.empty()) {
    uint64_t id = slots.queue.front();
    slots.queue.pop_front();
    Job& job = jobs_.at(id);
    ++slots.in_flight;
    ++in_flight_;
    job.facts.started = clock_.Now();
    if (job.policy_request) {
      job.phase = Phase::kPolicy;
      Send(id, *job.policy_request);
    } else {
      job.phase = Phase::kTarget;
      Send(id, job.target_request);
    }
  }
  if (slots.saturated &&
      static_cast<int>(slots.queue.size()) <= options_.max_queued_per_target / 2) {
    // Resumed: claims may take its work again, at once. While another target stays saturated
    // claims still skip, and the work just un-skipped may lie past that target's backlog: look
    // again now. When none is, the next claim skips nothing and the pause does not apply; keep
    // it for the next skipping claim, or every resume of a target whose backlog is all there
    // is would cost one fruitless read past that backlog (once per claim batch).
    slots.saturated = false;
    if (AnySaturated()) skip_claims_until_ = {};
  }
}

void Worker::PublishStats() {
  std::lock_guard lock(stats_mu_);
  stats_.in_flight = in_flight_;
  stats_.queued = static_cast<int>(jobs_.size()) - in_flight_;
}

void Worker::Send(uint64_t id, const outbound::OutboundRequest& request) {
  std::shared_ptr<Inbox> inbox = inbox_;
  http_.Send(request, [inbox, id](outbound::OutboundResponse r) {
    {
      std::lock_guard lock(inbox->mu);
      inbox->done.push_back({id, std::move(r)});
    }
    inbox->cv.notify_all();
  });
}

void Worker::Handle(Completion c) {
  auto it = jobs_.find(c.job_id);
  if (it == jobs_.end()) return;  // abandoned at stop; its lease was handed back
  Job& job = it->second;
  if (job.phase == Phase::kPolicy) {
    job.facts.policy = std::move(c.response);
    if (ClassifyPolicyResponse(*job.facts.policy).verdict == Verdict::kProceed) {
      job.phase = Phase::kTarget;
      Send(c.job_id, job.target_request);
      return;
    }
  } else {
    job.facts.target = std::move(c.response);
  }
  Finish(c.job_id);
}

void Worker::Finish(uint64_t id) {
  auto it = jobs_.find(id);
  Job& job = it->second;
  Record(job.delivery, job.facts);
  std::string key = std::move(job.target_key);
  jobs_.erase(it);
  --in_flight_;
  auto slots = targets_.find(key);
  --slots->second.in_flight;
  StartReady(key);
  if (slots->second.in_flight == 0 && slots->second.queue.empty()) targets_.erase(slots);
}

void Worker::Record(const Delivery& d, const AttemptFacts& facts) {
  unrecorded_.push_back(
      ConcludeAttempt(d, facts, retry_, clock_.Now(), options_.response_body_limit));
}

void Worker::FlushRecords() {
  if (unrecorded_.empty()) return;
  std::vector<AttemptRecord> records;
  records.swap(unrecorded_);
  std::vector<AttemptWrite> writes;
  writes.reserve(records.size());
  for (AttemptRecord& rec : records) {
    writes.push_back(AttemptWrite{rec.delivery, rec.attempt, rec.disable_error});
  }
  std::vector<Status> answers = deliveries_.RecordAttempts(writes);
  writes.clear();
  std::unique_lock lock(stats_mu_);
  ++stats_.record_batches;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const AttemptRecord& rec = records[i];
    Status st = i < answers.size() ? answers[i] : InternalError("no answer for this attempt");
    if (!st.ok()) {
      // The lease stays and expires; the delivery is then tried again (at-least-once).
      spdlog::error("delivery {}: recording attempt {} failed: {}", rec.delivery.uuid,
                    rec.attempt.number, st.ToString());
      ++stats_.store_errors;
      continue;
    }
    switch (rec.delivery.state) {
      case DeliveryState::kDelivered:
        ++stats_.delivered;
        break;
      case DeliveryState::kDenied:
        ++stats_.denied;
        break;
      case DeliveryState::kFailed:
        ++stats_.failed;
        break;
      case DeliveryState::kPending:
        ++stats_.retries_scheduled;
        break;
    }
    if (rec.disable_error) {
      spdlog::warn("delivery {}: subscription {} disabled: {}", rec.delivery.uuid,
                   rec.delivery.subscription_uuid, *rec.disable_error);
    }
  }
  lock.unlock();
  if (options_.on_recorded) {
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i < answers.size() && answers[i].ok()) options_.on_recorded(records[i]);
    }
  }
}

void Worker::HandBack(std::vector<LeaseRelease> releases) {
  if (releases.empty()) return;
  Status st = deliveries_.ReleaseLeases(releases, options_.owner);
  if (!st.ok()) {
    spdlog::warn("delivery: releasing {} leases failed ({}); they are retried when the leases "
                 "expire",
                 releases.size(), st.ToString());
    return;
  }
  std::lock_guard lock(stats_mu_);
  stats_.handed_back += static_cast<int64_t>(releases.size());
}

void Worker::DrainForStop(std::chrono::steady_clock::time_point deadline) {
  stopped_ = true;
  // Not started yet: give them back untouched.
  std::vector<LeaseRelease> queued;
  for (auto& [key, slots] : targets_) {
    for (uint64_t id : slots.queue) {
      const Delivery& d = jobs_.at(id).delivery;
      queued.push_back({d.uuid, d.next_attempt_at});
      jobs_.erase(id);
    }
    slots.queue.clear();
  }
  HandBack(std::move(queued));
  while (!jobs_.empty()) {
    {
      std::unique_lock lock(inbox_->mu);
      if (!inbox_->cv.wait_until(lock, deadline, [&] { return !inbox_->done.empty(); })) break;
    }
    DrainCompletions();
    FlushRecords();
  }
  FlushRecords();
  // Still on the wire after the grace period: hand them back; late answers are ignored.
  std::vector<LeaseRelease> on_the_wire;
  for (auto& [id, job] : jobs_) {
    on_the_wire.push_back({job.delivery.uuid, job.delivery.next_attempt_at});
  }
  HandBack(std::move(on_the_wire));
  jobs_.clear();
  targets_.clear();
  in_flight_ = 0;
  PublishStats();
}

}  // namespace pn::delivery
