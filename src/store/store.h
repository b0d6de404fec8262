// Storage interfaces. Every backend (SQLite in store/sqlite, PostgreSQL in store/postgres)
// implements them; nothing outside src/store and src/app knows which backend is in use.
// Thread-safety: every method of every interface may be called from any thread concurrently.
// Errors: Unavailable when the database cannot be reached (callers answer 503 / retry later),
// AlreadyExists on a duplicate key, Internal for anything unexpected.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "model/delivery.h"
#include "model/event.h"
#include "model/subscription.h"

namespace pn {

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;
  // AlreadyExists when the uuid is taken.
  virtual Status Insert(const Subscription& s) = 0;
  // Any row, deleted and disabled ones included; nullopt when unknown.
  virtual Result<std::optional<Subscription>> Find(std::string_view uuid) = 0;
  // The user's non-deleted rows (disabled included), in insertion order.
  virtual Result<std::vector<Subscription>> ListForUser(std::string_view user) = 0;
  // Enabled, non-deleted rows, in insertion order (the match index is built from these).
  virtual Result<std::vector<Subscription>> ListActive() = 0;
  // Replaces the row with s.uuid; NotFound when there is none.
  virtual Status Update(const Subscription& s) = 0;
  // Sets disabled/error unless already disabled or deleted.
  virtual Status Disable(std::string_view uuid, Timestamp when, std::string_view error) = 0;
  // How many non-deleted rows are disabled (metrics); answered from the disabled index.
  virtual Result<int64_t> CountDisabled() = 0;
  // Grows whenever any subscription changes (through any process sharing the database), so a
  // cache can tell cheaply whether it must refresh.
  virtual Result<int64_t> ChangeVersion() = 0;
  // Blocks until the store knows that ChangeVersion() exceeds `seen_version` (OK) or `timeout`
  // passes (DeadlineExceeded), so a process hears promptly of changes made by other processes
  // (PostgreSQL: LISTEN/NOTIFY). Callers still poll ChangeVersion() after each return, which
  // covers notifications lost while the database was unreachable. The default reports
  // Unimplemented at once: such a store has no notifications, callers poll on a timer.
  virtual Status WaitForChange(int64_t seen_version, Duration timeout) {
    (void)seen_version, (void)timeout;
    return UnimplementedError("this store cannot notify changes; poll ChangeVersion instead");
  }
};

// An accepted event together with the deliveries its matching produced; stored atomically.
struct NewEvent {
  StoredEvent event;
  std::vector<Delivery> deliveries;
};

class EventStore {
 public:
  virtual ~EventStore() = default;
  // Stores every event and delivery of the batch in one durable transaction (group commit):
  // when this returns OK, all of them survive a crash; on error, none were stored.
  virtual Status Append(std::span<const NewEvent> batch) = 0;
  // Adds deliveries to events already stored (eventretry).
  virtual Status AddDeliveries(std::span<const Delivery> deliveries) = 0;
  virtual Result<std::optional<StoredEvent>> FindEvent(std::string_view uuid) = 0;
  // Events with after < created < before (both strict, as the original), at most `limit`.
  virtual Result<std::vector<StoredEvent>> ListEvents(Timestamp after, Timestamp before,
                                                      int limit) = 0;
  // Deliveries of one event, oldest first.
  virtual Result<std::vector<Delivery>> DeliveriesForEvent(std::string_view event_uuid) = 0;
  // Uuids of events created before `before`, at most `limit`, oldest first.
  virtual Result<std::vector<std::string>> EventsCreatedBefore(Timestamp before, int limit) = 0;
  // Deletes the events with their deliveries and attempts; returns how many events went.
  virtual Result<int64_t> PurgeEvents(std::span<const std::string> uuids) = 0;
};

// One concluded attempt to store with DeliveryStore::RecordAttempts (the arguments of
// RecordAttempt).
struct AttemptWrite {
  Delivery delivery;
  DeliveryAttempt attempt;
  std::optional<std::string> disable_error;
};

// One lease to give back with DeliveryStore::ReleaseLeases (the arguments of ReleaseLease).
struct LeaseRelease {
  std::string delivery_uuid;
  Timestamp next_attempt_at;
};

// What DeliveryStore::SummarizePending reports of the pending deliveries.
struct PendingSummary {
  int64_t count = 0;
  std::optional<Timestamp> oldest_created;  // nullopt when none is pending
  friend bool operator==(const PendingSummary&, const PendingSummary&) = default;
};

class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;
  // Takes up to `limit` pending deliveries with next_attempt_at <= now whose lease is free or
  // expired, and leases them to `owner` until `lease_until`. Two concurrent callers never get
  // the same delivery while its lease holds.
  virtual Result<std::vector<Delivery>> ClaimDue(Timestamp now, int limit, std::string_view owner,
                                                 Timestamp lease_until) = 0;
  // ClaimDue, except that deliveries of the subscriptions in `skip_subscriptions` are left
  // alone (the caller cannot start them now: their target is saturated), so that work for other
  // targets is reached past them. Uuids in any accepted spelling.
  virtual Result<std::vector<Delivery>> ClaimDueSkipping(
      Timestamp now, int limit, std::string_view owner, Timestamp lease_until,
      std::span<const std::string> skip_subscriptions) = 0;
  // The earliest next_attempt_at among pending deliveries, or nullopt when none is pending.
  virtual Result<std::optional<Timestamp>> NextDueAt() = 0;
  // In one transaction: appends `attempt`, replaces the delivery row with `delivery` (state,
  // attempts, next_attempt_at, latest policy/target columns; the lease is released), and, when
  // `disable_error` is set, disables the delivery's subscription with that error text.
  virtual Status RecordAttempt(const Delivery& delivery, const DeliveryAttempt& attempt,
                               const std::optional<std::string>& disable_error) = 0;
  // RecordAttempt for each item, with the same per-item semantics (NotFound, AlreadyExists for
  // an attempt number already recorded, which leaves that item's rows unchanged; disabling),
  // batched into one transaction when every item succeeds. Returns one Status per item, in
  // order; an item's failure does not undo the others. Durability: may be weaker than Append's
  // (a record lost to a power cut only means the delivery is attempted again, which
  // at-least-once allows); an item that disables its subscription is stored as durably as a
  // subscription change.
  virtual std::vector<Status> RecordAttempts(std::span<const AttemptWrite> items) = 0;
  // ReleaseLease for each item (same owner), in one transaction.
  virtual Status ReleaseLeases(std::span<const LeaseRelease> releases, std::string_view owner) = 0;
  // Gives back a lease without recording an attempt (graceful stop, or work the caller cannot
  // start yet): when `owner` still holds the delivery's lease, the lease is cleared and the
  // delivery becomes due at `next_attempt_at` (pass its current value to keep it). OK and no
  // change when `owner` no longer holds it.
  virtual Status ReleaseLease(std::string_view delivery_uuid, std::string_view owner,
                              Timestamp next_attempt_at) = 0;
  virtual Result<std::optional<Delivery>> FindDelivery(std::string_view uuid) = 0;
  virtual Result<std::vector<DeliveryAttempt>> AttemptsFor(std::string_view delivery_uuid) = 0;
  // The subscription's most recent deliveries, newest first.
  virtual Result<std::vector<Delivery>> DeliveriesForSubscription(std::string_view uuid,
                                                                  int limit) = 0;
  // Pending deliveries counted (leased ones included).
  virtual Result<int64_t> CountPending() = 0;
  // In one query: the pending deliveries counted (as CountPending) and the earliest created
  // time among them (metrics: the age of the oldest undelivered notification).
  virtual Result<PendingSummary> SummarizePending() = 0;
};

struct SchemaVersion {
  int major = 0;
  int minor = 0;
  friend bool operator==(const SchemaVersion&, const SchemaVersion&) = default;
};

// Our schema: the original's 3.0 tables plus delivery state and attempt history.
inline constexpr SchemaVersion kCurrentSchema{4, 0};

class SchemaManager {
 public:
  virtual ~SchemaManager() = default;
  // (0,0) when the version table is missing, as the original reads it.
  virtual Result<SchemaVersion> Version() = 0;
  // True when the database has none of our tables (a fresh database).
  virtual Result<bool> IsEmpty() = 0;
  // Migrates forward to kCurrentSchema in one transaction (no-op when current).
  // FailedPrecondition for a version we do not know (e.g. newer than ours).
  virtual Status Sync() = 0;
};

// One open database: all interfaces over the same connection(s).
class Store {
 public:
  virtual ~Store() = default;
  virtual SubscriptionStore& subscriptions() = 0;
  virtual EventStore& events() = 0;
  virtual DeliveryStore& deliveries() = 0;
  virtual SchemaManager& schema() = 0;
  // OK when the database answers a trivial query now.
  virtual Status Ping() = 0;
};

}  // namespace pn
