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

Worker::Worker(WorkerOptions options, DeliveryStore& deliveries, EventStore& events,
               SubscriptionStore& subscriptions, outbound::HttpClient& http, const Clock& clock,
               RandomSource& random)
    : options_(std::move(options)),
      deliveries_(deliveries),
      events_(events),
      subscriptions_(subscriptions),
      http_(http),
      clock_(clock),
      retry_(options_.retry_schedule, options_.jitter, random) {}

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

void Worker::RunOnce() {
  std::lock_guard lock(run_mu_);
  if (stopped_) return;
  while (true) {
    bool handled = DrainCompletions();
    int claimed = ClaimAndStart();
    handled = DrainCompletions() || handled;
    if (!handled && claimed == 0) break;
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
      bool saturated = false;
      while (true) {
        bool handled = DrainCompletions();
        int claimed = ClaimAndStart();
        saturated = last_claim_saturated_;
        handled = DrainCompletions() || handled;
        if (!handled && claimed == 0) break;
      }
      wait = WaitTime(saturated);
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
  if (static_cast<int>(jobs_.size()) >= options_.max_in_flight) {
    return options_.idle_recheck;  // a finished call wakes us
  }
  if (claim_saturated) return Duration(0);
  Result<std::optional<Timestamp>> next = deliveries_.NextDueAt();
  if (!next.ok() || !next->has_value()) return options_.idle_recheck;
  Duration until = **next - clock_.Now();
  // Due but not claimable: leased (by us or another process); look again later.
  if (until <= Duration(0)) return options_.idle_recheck;
  return std::min(until, options_.idle_recheck);
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

int Worker::ClaimAndStart() {
  int room = options_.max_in_flight - static_cast<int>(jobs_.size());
  last_claim_saturated_ = false;
  if (room <= 0) return 0;
  int limit = std::min(room, options_.claim_batch);
  Timestamp now = clock_.Now();
  Result<std::vector<Delivery>> claimed =
      deliveries_.ClaimDue(now, limit, options_.owner, now + LeaseDuration());
  if (!claimed.ok()) {
    spdlog::warn("delivery: claiming due deliveries failed: {}", claimed.status().ToString());
    std::lock_guard lock(stats_mu_);
    ++stats_.store_errors;
    return 0;
  }
  last_claim_saturated_ = static_cast<int>(claimed->size()) == limit;
  {
    std::lock_guard lock(stats_mu_);
    stats_.claimed += static_cast<int64_t>(claimed->size());
  }
  // Several deliveries of one batch usually share an event and often a subscription.
  struct CachedEvent {
    std::optional<StoredEvent> row;
    std::optional<Result<Json>> parsed;  // parsed on first use
  };
  std::map<std::string, CachedEvent> event_cache;
  std::map<std::string, std::optional<Subscription>> subscription_cache;
  for (Delivery& d : *claimed) {
    auto ev = event_cache.find(d.event_uuid);
    if (ev == event_cache.end()) {
      Result<std::optional<StoredEvent>> found = events_.FindEvent(d.event_uuid);
      if (!found.ok()) {
        spdlog::warn("delivery {}: loading event {} failed: {}", d.uuid, d.event_uuid,
                     found.status().ToString());
        HandBack(d, now + options_.idle_recheck);
        continue;
      }
      ev = event_cache.emplace(d.event_uuid, CachedEvent{std::move(found).value(), {}}).first;
    }
    auto sub = subscription_cache.find(d.subscription_uuid);
    if (sub == subscription_cache.end()) {
      Result<std::optional<Subscription>> found = subscriptions_.Find(d.subscription_uuid);
      if (!found.ok()) {
        spdlog::warn("delivery {}: loading subscription {} failed: {}", d.uuid, d.subscription_uuid,
                     found.status().ToString());
        HandBack(d, now + options_.idle_recheck);
        continue;
      }
      sub = subscription_cache.emplace(d.subscription_uuid, std::move(found).value()).first;
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
    if (!ev->second.parsed) ev->second.parsed = ParseStoredEvent(ev->second.row->jsondata);
    Admit(std::move(d), ev->second.row->jsondata, *ev->second.parsed, *sub->second);
  }
  return static_cast<int>(claimed->size());
}

void Worker::Admit(Delivery d, const std::string& event_json, const Result<Json>& event,
                   const Subscription& s) {
  Timestamp now = clock_.Now();
  Result<outbound::OutboundRequest> target =
      event.ok() ? BuildTargetRequestFromJson(s, *event, options_.target_timeout)
                 : Result<outbound::OutboundRequest>(event.status());
  if (!target.ok()) {
    Record(d, AttemptFacts{.started = now,
                           .impossible = "cannot deliver: " + target.status().message()});
    return;
  }
  std::string key = TargetKey(s.target_url);
  TargetSlots& slots = targets_[key];
  if (slots.in_flight >= options_.max_in_flight_per_target &&
      static_cast<int>(slots.queue.size()) >= options_.max_queued_per_target) {
    // This target is saturated: hand the delivery back (slightly later) so that claims keep
    // reaching other targets' work. If the store cannot, keep it queued: its lease covers it.
    if (HandBack(d, now + options_.overflow_defer)) return;
  }
  Job job;
  job.delivery = std::move(d);
  job.subscription = s;
  job.target_key = key;
  if (!options_.policy_url.empty()) {
    job.policy_request =
        BuildPolicyRequest(options_.policy_url, s.user, event_json, options_.policy_timeout);
  }
  job.target_request = std::move(target).value();
  job.target_request.max_response_bytes = options_.response_body_limit;
  if (job.policy_request) job.policy_request->max_response_bytes = options_.response_body_limit;
  uint64_t id = next_job_id_++;
  jobs_.emplace(id, std::move(job));
  slots.queue.push_back(id);
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
    job.facts.started = clock_.Now();
    if (job.policy_request) {
      job.phase = Phase::kPolicy;
      Send(id, *job.policy_request);
    } else {
      job.phase = Phase::kTarget;
      Send(id, job.target_request);
    }
  }
  std::lock_guard lock(stats_mu_);
  stats_.in_flight = 0;
  stats_.queued = 0;
  for (const auto& [key, s] : targets_) {
    stats_.in_flight += s.in_flight;
    stats_.queued += static_cast<int>(s.queue.size());
  }
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
  std::string key = job.target_key;
  jobs_.erase(it);
  TargetSlots& slots = targets_[key];
  --slots.in_flight;
  StartReady(key);
  if (slots.in_flight == 0 && slots.queue.empty()) targets_.erase(key);
}

void Worker::Record(const Delivery& d, const AttemptFacts& facts) {
  AttemptRecord rec = ConcludeAttempt(d, facts, retry_, clock_.Now(), options_.response_body_limit);
  Status st = deliveries_.RecordAttempt(rec.delivery, rec.attempt, rec.disable_error);
  std::unique_lock lock(stats_mu_);
  if (!st.ok()) {
    // The lease stays and expires; the delivery is then tried again (at-least-once).
    spdlog::error("delivery {}: recording attempt {} failed: {}", d.uuid, rec.attempt.number,
                  st.ToString());
    ++stats_.store_errors;
    return;
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
    spdlog::warn("delivery {}: subscription {} disabled: {}", d.uuid, d.subscription_uuid,
                 *rec.disable_error);
  }
  lock.unlock();
  if (options_.on_recorded) options_.on_recorded(rec);
}

bool Worker::HandBack(const Delivery& d, Timestamp next_attempt_at) {
  Status st = deliveries_.ReleaseLease(d.uuid, options_.owner, next_attempt_at);
  if (!st.ok()) {
    if (st.code() != StatusCode::kUnimplemented) {
      spdlog::warn(
          "delivery {}: releasing its lease failed ({}); it is retried when the lease "
          "expires",
          d.uuid, st.ToString());
    }
    return false;
  }
  std::lock_guard lock(stats_mu_);
  ++stats_.handed_back;
  return true;
}

void Worker::DrainForStop(std::chrono::steady_clock::time_point deadline) {
  stopped_ = true;
  // Not started yet: give them back untouched.
  for (auto& [key, slots] : targets_) {
    for (uint64_t id : slots.queue) {
      const Delivery& d = jobs_.at(id).delivery;
      HandBack(d, d.next_attempt_at);
      jobs_.erase(id);
    }
    slots.queue.clear();
  }
  while (!jobs_.empty()) {
    {
      std::unique_lock lock(inbox_->mu);
      if (!inbox_->cv.wait_until(lock, deadline, [&] { return !inbox_->done.empty(); })) break;
    }
    DrainCompletions();
  }
  // Still on the wire after the grace period: hand them back; late answers are ignored.
  for (auto& [id, job] : jobs_) HandBack(job.delivery, job.delivery.next_attempt_at);
  jobs_.clear();
  targets_.clear();
  std::lock_guard lock(stats_mu_);
  stats_.in_flight = 0;
  stats_.queued = 0;
}

}  // namespace pn::delivery
