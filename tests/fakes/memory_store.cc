#include "fakes/memory_store.h"

#include <algorithm>

#include "common/uuid.h"

namespace pn::testing {
namespace {

template <typename T>
T* FindByUuid(std::vector<T>& rows, std::string_view uuid) {
  for (auto& row : rows) {
    if (row.uuid == uuid) return &row;
  }
  return nullptr;
}

}  // namespace

MemoryStore::MemoryStore(std::optional<SchemaVersion> schema) : schema_(schema) {}

void MemoryStore::SetUnavailable(bool unavailable) {
  std::lock_guard lock(mu_);
  unavailable_ = unavailable;
}

Status MemoryStore::CheckAvailable() const {
  if (unavailable_) return UnavailableError("memory store: database unavailable");
  return OkStatus();
}

Status MemoryStore::Ping() {
  std::lock_guard lock(mu_);
  return CheckAvailable();
}

// --- SubscriptionStore ---

Status MemoryStore::Insert(const Subscription& s) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  if (FindByUuid(subscriptions_, s.uuid)) {
    return AlreadyExistsError("subscription " + s.uuid + " already exists");
  }
  subscriptions_.push_back(s);
  ++change_version_;
  changed_.notify_all();
  return OkStatus();
}

Result<std::optional<Subscription>> MemoryStore::Find(std::string_view raw_uuid) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_uuid, CanonicalUuid(raw_uuid));
  const std::string_view uuid = canonical_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  if (auto* s = FindByUuid(subscriptions_, uuid)) return std::optional<Subscription>(*s);
  return std::optional<Subscription>();
}

Result<std::vector<Subscription>> MemoryStore::ListForUser(std::string_view user) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<Subscription> out;
  for (const auto& s : subscriptions_) {
    if (s.user == user && !s.deleted) out.push_back(s);
  }
  return out;
}

Result<std::vector<Subscription>> MemoryStore::ListActive() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<Subscription> out;
  for (const auto& s : subscriptions_) {
    if (s.active()) out.push_back(s);
  }
  return out;
}

Result<int64_t> MemoryStore::CountDisabled() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  return static_cast<int64_t>(std::count_if(subscriptions_.begin(), subscriptions_.end(),
                                            [](const auto& s) { return s.disabled && !s.deleted; }));
}

Status MemoryStore::Update(const Subscription& s) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  auto* row = FindByUuid(subscriptions_, s.uuid);
  if (!row) return NotFoundError("subscription " + s.uuid + " does not exist");
  *row = s;
  ++change_version_;
  changed_.notify_all();
  return OkStatus();
}

Status MemoryStore::DisableLocked(std::string_view uuid, Timestamp when, std::string_view error) {
  auto* row = FindByUuid(subscriptions_, uuid);
  if (!row) return NotFoundError("subscription " + std::string(uuid) + " does not exist");
  if (row->disabled || row->deleted) return OkStatus();
  row->disabled = when;
  row->error = std::string(error);
  ++change_version_;
  changed_.notify_all();
  return OkStatus();
}

Status MemoryStore::Disable(std::string_view raw_uuid, Timestamp when, std::string_view error) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_uuid, CanonicalUuid(raw_uuid));
  const std::string_view uuid = canonical_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  return DisableLocked(uuid, when, error);
}

Result<int64_t> MemoryStore::ChangeVersion() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  return change_version_;
}

Status MemoryStore::WaitForChange(int64_t seen_version, Duration timeout) {
  std::unique_lock lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  if (!changed_.wait_for(lock, timeout, [&] { return change_version_ > seen_version; })) {
    return DeadlineExceededError("no subscription change within the timeout");
  }
  return OkStatus();
}

// --- EventStore ---

Status MemoryStore::Append(std::span<const NewEvent> batch) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  // Validate the whole batch first: all or nothing.
  std::vector<std::string> event_ids, delivery_ids;
  for (const auto& item : batch) {
    if (FindByUuid(events_, item.event.uuid) ||
        std::count(event_ids.begin(), event_ids.end(), item.event.uuid)) {
      return AlreadyExistsError("event " + item.event.uuid + " already exists");
    }
    event_ids.push_back(item.event.uuid);
    for (const auto& d : item.deliveries) {
      if (FindByUuid(deliveries_, d.uuid) ||
          std::count(delivery_ids.begin(), delivery_ids.end(), d.uuid)) {
        return AlreadyExistsError("delivery " + d.uuid + " already exists");
      }
      delivery_ids.push_back(d.uuid);
    }
  }
  for (const auto& item : batch) {
    events_.push_back(item.event);
    for (const auto& d : item.deliveries) deliveries_.push_back(d);
  }
  return OkStatus();
}

Status MemoryStore::AddDeliveries(std::span<const Delivery> deliveries) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<std::string> ids;
  for (const auto& d : deliveries) {
    if (!FindByUuid(events_, d.event_uuid)) {
      return NotFoundError("event " + d.event_uuid + " does not exist");
    }
    if (FindByUuid(deliveries_, d.uuid) || std::count(ids.begin(), ids.end(), d.uuid)) {
      return AlreadyExistsError("delivery " + d.uuid + " already exists");
    }
    ids.push_back(d.uuid);
  }
  deliveries_.insert(deliveries_.end(), deliveries.begin(), deliveries.end());
  return OkStatus();
}

Result<std::optional<StoredEvent>> MemoryStore::FindEvent(std::string_view raw_uuid) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_uuid, CanonicalUuid(raw_uuid));
  const std::string_view uuid = canonical_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  if (auto* e = FindByUuid(events_, uuid)) return std::optional<StoredEvent>(*e);
  return std::optional<StoredEvent>();
}

Result<std::vector<StoredEvent>> MemoryStore::ListEvents(Timestamp after, Timestamp before,
                                                         int limit) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<StoredEvent> out;
  for (const auto& e : events_) {
    if (e.created > after && e.created < before) out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.created < b.created; });
  if (limit >= 0 && out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

Result<std::vector<Delivery>> MemoryStore::DeliveriesForEvent(std::string_view raw_event_uuid) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_event_uuid, CanonicalUuid(raw_event_uuid));
  const std::string_view event_uuid = canonical_event_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<Delivery> out;
  for (const auto& d : deliveries_) {
    if (d.event_uuid == event_uuid) out.push_back(d);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.created < b.created; });
  return out;
}

Result<std::vector<std::string>> MemoryStore::EventsCreatedBefore(Timestamp before, int limit) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<const StoredEvent*> found;
  for (const auto& e : events_) {
    if (e.created < before) found.push_back(&e);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto* a, const auto* b) { return a->created < b->created; });
  std::vector<std::string> out;
  for (const auto* e : found) {
    if (limit >= 0 && out.size() >= static_cast<size_t>(limit)) break;
    out.push_back(e->uuid);
  }
  return out;
}

Result<int64_t> MemoryStore::PurgeEvents(std::span<const std::string> raw_uuids) {
  std::vector<std::string> uuids;
  for (const auto& raw : raw_uuids) {
    PN_ASSIGN_OR_RETURN(std::string canonical, CanonicalUuid(raw));
    uuids.push_back(std::move(canonical));
  }
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  auto listed = [&](const std::string& id) {
    return std::find(uuids.begin(), uuids.end(), id) != uuids.end();
  };
  std::vector<std::string> gone_deliveries;
  for (const auto& d : deliveries_) {
    if (listed(d.event_uuid)) gone_deliveries.push_back(d.uuid);
  }
  std::erase_if(attempts_, [&](const DeliveryAttempt& a) {
    return std::find(gone_deliveries.begin(), gone_deliveries.end(), a.delivery_uuid) !=
           gone_deliveries.end();
  });
  std::erase_if(deliveries_, [&](const Delivery& d) { return listed(d.event_uuid); });
  return static_cast<int64_t>(
      std::erase_if(events_, [&](const StoredEvent& e) { return listed(e.uuid); }));
}

// --- DeliveryStore ---

Result<std::vector<Delivery>> MemoryStore::ClaimDue(Timestamp now, int limit,
                                                    std::string_view owner,
                                                    Timestamp lease_until) {
  return ClaimDueSkipping(now, limit, owner, lease_until, {});
}

Result<std::vector<Delivery>> MemoryStore::ClaimDueSkipping(
    Timestamp now, int limit, std::string_view owner, Timestamp lease_until,
    std::span<const std::string> skip_subscriptions) {
  std::vector<std::string> skip;
  for (const std::string& raw : skip_subscriptions) {
    PN_ASSIGN_OR_RETURN(std::string canonical, CanonicalUuid(raw));
    skip.push_back(std::move(canonical));
  }
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<Delivery*> due;
  for (auto& d : deliveries_) {
    bool lease_free = d.lease_owner.empty() || !d.lease_expires || *d.lease_expires <= now;
    bool skipped = std::find(skip.begin(), skip.end(), d.subscription_uuid) != skip.end();
    if (d.state == DeliveryState::kPending && d.next_attempt_at <= now && lease_free &&
        !skipped) {
      due.push_back(&d);
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
    return a->next_attempt_at < b->next_attempt_at;
  });
  std::vector<Delivery> out;
  for (auto* d : due) {
    if (out.size() >= static_cast<size_t>(std::max(limit, 0))) break;
    d->lease_owner = std::string(owner);
    d->lease_expires = lease_until;
    out.push_back(*d);
  }
  return out;
}

Result<std::optional<Timestamp>> MemoryStore::NextDueAt() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  // A leased delivery becomes claimable only when its lease expires, as in the real backends.
  std::optional<Timestamp> next;
  for (const auto& d : deliveries_) {
    if (d.state != DeliveryState::kPending) continue;
    Timestamp claimable = d.next_attempt_at;
    if (!d.lease_owner.empty() && d.lease_expires) claimable = std::max(claimable, *d.lease_expires);
    if (!next || claimable < *next) next = claimable;
  }
  return next;
}

Status MemoryStore::ReleaseLease(std::string_view raw_delivery_uuid, std::string_view owner,
                                 Timestamp next_attempt_at) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_delivery_uuid, CanonicalUuid(raw_delivery_uuid));
  const std::string_view delivery_uuid = canonical_delivery_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  auto* row = FindByUuid(deliveries_, delivery_uuid);
  if (row && row->lease_owner == owner) {
    row->lease_owner.clear();
    row->lease_expires.reset();
    row->next_attempt_at = next_attempt_at;
  }
  return OkStatus();
}

Status MemoryStore::ReleaseLeases(std::span<const LeaseRelease> releases,
                                  std::string_view owner) {
  std::vector<std::string> uuids;
  for (const LeaseRelease& r : releases) {
    PN_ASSIGN_OR_RETURN(std::string canonical, CanonicalUuid(r.delivery_uuid));
    uuids.push_back(std::move(canonical));
  }
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  for (std::size_t i = 0; i < releases.size(); ++i) {
    auto* row = FindByUuid(deliveries_, uuids[i]);
    if (row && row->lease_owner == owner) {
      row->lease_owner.clear();
      row->lease_expires.reset();
      row->next_attempt_at = releases[i].next_attempt_at;
    }
  }
  return OkStatus();
}

Status MemoryStore::RecordAttempt(const Delivery& delivery, const DeliveryAttempt& attempt,
                                  const std::optional<std::string>& disable_error) {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  return RecordAttemptLocked(delivery, attempt, disable_error);
}

std::vector<Status> MemoryStore::RecordAttempts(std::span<const AttemptWrite> items) {
  std::lock_guard lock(mu_);
  std::vector<Status> out;
  for (const AttemptWrite& item : items) {
    Status available = CheckAvailable();
    out.push_back(available.ok()
                      ? RecordAttemptLocked(item.delivery, item.attempt, item.disable_error)
                      : available);
  }
  return out;
}

Status MemoryStore::RecordAttemptLocked(const Delivery& delivery, const DeliveryAttempt& attempt,
                                        const std::optional<std::string>& disable_error) {
  auto* row = FindByUuid(deliveries_, delivery.uuid);
  if (!row) return NotFoundError("delivery " + delivery.uuid + " does not exist");
  for (const auto& a : attempts_) {
    if (a.delivery_uuid == attempt.delivery_uuid && a.number == attempt.number) {
      return AlreadyExistsError("attempt " + std::to_string(attempt.number) + " of delivery " +
                                delivery.uuid + " is already recorded");
    }
  }
  if (disable_error) {
    // Disabling an unknown subscription must not half-apply the attempt.
    if (!FindByUuid(subscriptions_, delivery.subscription_uuid)) {
      return NotFoundError("subscription " + delivery.subscription_uuid + " does not exist");
    }
    PN_RETURN_IF_ERROR(DisableLocked(delivery.subscription_uuid, delivery.updated, *disable_error));
  }
  attempts_.push_back(attempt);
  *row = delivery;
  row->lease_owner.clear();
  row->lease_expires.reset();
  return OkStatus();
}

Result<std::optional<Delivery>> MemoryStore::FindDelivery(std::string_view raw_uuid) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_uuid, CanonicalUuid(raw_uuid));
  const std::string_view uuid = canonical_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  if (auto* d = FindByUuid(deliveries_, uuid)) return std::optional<Delivery>(*d);
  return std::optional<Delivery>();
}

Result<std::vector<DeliveryAttempt>> MemoryStore::AttemptsFor(std::string_view raw_delivery_uuid) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_delivery_uuid, CanonicalUuid(raw_delivery_uuid));
  const std::string_view delivery_uuid = canonical_delivery_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<DeliveryAttempt> out;
  for (const auto& a : attempts_) {
    if (a.delivery_uuid == delivery_uuid) out.push_back(a);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.number < b.number; });
  return out;
}

Result<std::vector<Delivery>> MemoryStore::DeliveriesForSubscription(std::string_view raw_uuid,
                                                                     int limit) {
  PN_ASSIGN_OR_RETURN(const std::string canonical_uuid, CanonicalUuid(raw_uuid));
  const std::string_view uuid = canonical_uuid;
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  std::vector<Delivery> out;
  // Newest first; among equal times the later-inserted one is newer.
  for (auto it = deliveries_.rbegin(); it != deliveries_.rend(); ++it) {
    if (it->subscription_uuid == uuid) out.push_back(*it);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.created > b.created; });
  if (limit >= 0 && out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

Result<int64_t> MemoryStore::CountPending() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  return static_cast<int64_t>(std::count_if(deliveries_.begin(), deliveries_.end(), [](const auto& d) {
    return d.state == DeliveryState::kPending;
  }));
}

Result<PendingSummary> MemoryStore::SummarizePending() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  PendingSummary out;
  for (const auto& d : deliveries_) {
    if (d.state != DeliveryState::kPending) continue;
    ++out.count;
    if (!out.oldest_created || d.created < *out.oldest_created) out.oldest_created = d.created;
  }
  return out;
}

// --- SchemaManager ---

Result<SchemaVersion> MemoryStore::Version() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  return schema_.value_or(SchemaVersion{0, 0});
}

Result<bool> MemoryStore::IsEmpty() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  return !schema_.has_value();
}

Status MemoryStore::Sync() {
  std::lock_guard lock(mu_);
  PN_RETURN_IF_ERROR(CheckAvailable());
  if (schema_ && (schema_->major > kCurrentSchema.major ||
                  (schema_->major == kCurrentSchema.major && schema_->minor > kCurrentSchema.minor))) {
    return FailedPreconditionError("database schema " + std::to_string(schema_->major) + "." +
                                   std::to_string(schema_->minor) +
                                   " is newer than this program's " +
                                   std::to_string(kCurrentSchema.major) + "." +
                                   std::to_string(kCurrentSchema.minor));
  }
  schema_ = kCurrentSchema;
  return OkStatus();
}

}  // namespace pn::testing
