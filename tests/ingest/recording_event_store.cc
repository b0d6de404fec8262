#include "recording_event_store.h"

#include <algorithm>

namespace pn::ingest::testing {

Status RecordingEventStore::Append(std::span<const NewEvent> batch) {
  std::unique_lock<std::mutex> lock(mu_);
  ++appends_entered_;
  cv_.notify_all();
  cv_.wait(lock, [this] { return !gate_closed_; });
  append_sizes_.push_back(batch.size());
  PN_RETURN_IF_ERROR(fail_);
  for (const auto& e : batch) {
    events_.push_back(e.event);
    deliveries_.insert(deliveries_.end(), e.deliveries.begin(), e.deliveries.end());
  }
  return OkStatus();
}

Status RecordingEventStore::AddDeliveries(std::span<const Delivery> deliveries) {
  std::lock_guard<std::mutex> lock(mu_);
  PN_RETURN_IF_ERROR(fail_);
  deliveries_.insert(deliveries_.end(), deliveries.begin(), deliveries.end());
  return OkStatus();
}

Result<std::optional<StoredEvent>> RecordingEventStore::FindEvent(std::string_view uuid) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  for (const auto& e : events_) {
    if (e.uuid == uuid) return std::optional<StoredEvent>(e);
  }
  return std::optional<StoredEvent>();
}

Result<std::vector<StoredEvent>> RecordingEventStore::ListEvents(Timestamp after, Timestamp before,
                                                                 int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  std::vector<StoredEvent> out;
  for (const auto& e : events_) {
    if (e.created > after && e.created < before && static_cast<int>(out.size()) < limit) {
      out.push_back(e);
    }
  }
  return out;
}

Result<std::vector<Delivery>> RecordingEventStore::DeliveriesForEvent(std::string_view uuid) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  std::vector<Delivery> out;
  for (const auto& d : deliveries_) {
    if (d.event_uuid == uuid) out.push_back(d);
  }
  return out;
}

Result<std::vector<std::string>> RecordingEventStore::EventsCreatedBefore(Timestamp before,
                                                                          int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  std::vector<StoredEvent> sorted = events_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.created < b.created; });
  std::vector<std::string> out;
  for (const auto& e : sorted) {
    if (e.created < before && static_cast<int>(out.size()) < limit) out.push_back(e.uuid);
  }
  return out;
}

Result<int64_t> RecordingEventStore::PurgeEvents(std::span<const std::string> uuids) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!fail_.ok()) return fail_;
  int64_t n = 0;
  for (const auto& u : uuids) {
    auto it = std::find_if(events_.begin(), events_.end(), [&](const auto& e) { return e.uuid == u; });
    if (it == events_.end()) continue;
    events_.erase(it);
    std::erase_if(deliveries_, [&](const auto& d) { return d.event_uuid == u; });
    ++n;
  }
  return n;
}

void RecordingEventStore::FailWith(Status s) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_ = std::move(s);
}

void RecordingEventStore::CloseGate() {
  std::lock_guard<std::mutex> lock(mu_);
  gate_closed_ = true;
}

void RecordingEventStore::OpenGate() {
  std::lock_guard<std::mutex> lock(mu_);
  gate_closed_ = false;
  cv_.notify_all();
}

bool RecordingEventStore::WaitForAppendsEntered(int n) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return appends_entered_ >= n; });
}

std::vector<size_t> RecordingEventStore::append_sizes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return append_sizes_;
}

std::vector<StoredEvent> RecordingEventStore::events() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_;
}

std::vector<Delivery> RecordingEventStore::deliveries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return deliveries_;
}

}  // namespace pn::ingest::testing
