#include "ingest/group_committer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "common/uuid.h"
#include "ingest/new_delivery.h"

namespace pn::ingest {

GroupCommitter::GroupCommitter(EventStore& events, match::SubscriptionIndex& index,
                               const Clock& clock, RandomSource& random,
                               std::function<void()> notify, GroupCommitterOptions options)
    : events_(events),
      index_(index),
      clock_(clock),
      random_(random),
      notify_(std::move(notify)),
      options_(options),
      thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() { Stop(); }

void GroupCommitter::Submit(std::vector<Json> events, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(events), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(UnavailableError("the server is shutting down and accepts no more events; retry later"));
}

void GroupCommitter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

GroupCommitterStats GroupCommitter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void GroupCommitter::Run() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued was committed
      size_t events = 0;
      // Take everything queued (bounded), always at least one request.
      while (!queue_.empty() &&
             (batch.empty() || events + queue_.front().events.size() <= options_.max_batch_events)) {
        events += queue_.front().events.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitBatch(batch);
    batch.clear();
  }
}

void GroupCommitter::CommitBatch(std::vector<Pending>& batch) {
  // Changes made by other processes reach the index here, once per batch. When the store
  // cannot be asked, matching goes on with the subscriptions known so far; Append will tell.
  if (Status synced = index_.Sync(); !synced.ok()) {
    spdlog::warn("subscription index not refreshed: {}", synced.ToString());
  }
  auto snapshot = index_.snapshot();
  const Timestamp now = clock_.Now();

  std::vector<NewEvent> rows;
  std::vector<std::vector<std::string>> uuids(batch.size());
  size_t delivery_count = 0;
  for (size_t r = 0; r < batch.size(); ++r) {
    for (const Json& event : batch[r].events) {
      NewEvent row;
      row.event.uuid = NewUuid4(random_);
      row.event.jsondata = DumpPython(event);
      row.event.created = now;
      auto match_started = std::chrono::steady_clock::now();
      auto matched = snapshot->Match(event);
      if (options_.metrics != nullptr) {
        options_.metrics->MatchObserved(std::chrono::duration_cast<Duration>(
            std::chrono::steady_clock::now() - match_started));
      }
      for (const auto& sub : matched) {
        row.deliveries.push_back(NewPendingDelivery(row.event.uuid, sub->uuid, now, random_));
      }
      delivery_count += row.deliveries.size();
      uuids[r].push_back(row.event.uuid);
      rows.push_back(std::move(row));
    }
  }

  Status stored = rows.empty() ? OkStatus() : events_.Append(rows);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stored.ok()) {
      stats_.transactions += rows.empty() ? 0 : 1;
      stats_.events += static_cast<int64_t>(rows.size());
      stats_.deliveries += static_cast<int64_t>(delivery_count);
    } else {
      ++stats_.failed_transactions;
    }
  }
  if (!stored.ok()) {
    spdlog::error("storing {} received events failed: {}", rows.size(), stored.ToString());
    const Status answer = UnavailableError(
        "the event could not be stored, so it was not accepted; retry later (" +
        stored.message() + ")");
    for (auto& p : batch) p.done(answer);
    return;
  }
  for (size_t r = 0; r < batch.size(); ++r) batch[r].done(std::move(uuids[r]));
  if (delivery_count > 0 && notify_) notify_();
}

}  // namespace pn::ingest
