// The SQLite implementations of each store interface, sharing one SqliteDatabase.
// Internal to store/sqlite: others get them through OpenSqliteStore().
// Thread-safety: every method may be called from any thread (SqliteDatabase serializes).
#pragma once

#include <memory>

#include "store/sqlite/sqlite_database.h"
#include "store/store.h"

namespace pn::sqlite {

class SqliteSubscriptionStore final : public SubscriptionStore {
 public:
  explicit SqliteSubscriptionStore(SqliteDatabase& db) : db_(db) {}
  Status Insert(const Subscription& s) override;
  Result<std::optional<Subscription>> Find(std::string_view uuid) override;
  Result<std::vector<Subscription>> ListForUser(std::string_view user) override;
  Result<std::vector<Subscription>> ListActive() override;
  Result<int64_t> CountDisabled() override;
  Status Update(const Subscription& s) override;
  Status Disable(std::string_view uuid, Timestamp when, std::string_view error) override;
  Result<int64_t> ChangeVersion() override;
  // Wakes at once for changes made through this process's store; changes made by other
  // processes are seen when the timeout ends and the caller polls ChangeVersion().
  Status WaitForChange(int64_t seen_version, Duration timeout) override;

 private:
  SqliteDatabase& db_;
};

class SqliteEventStore final : public EventStore {
 public:
  explicit SqliteEventStore(SqliteDatabase& db) : db_(db) {}
  Status Append(std::span<const NewEvent> batch) override;
  Status AddDeliveries(std::span<const Delivery> deliveries) override;
  Result<std::optional<StoredEvent>> FindEvent(std::string_view uuid) override;
  Result<std::vector<StoredEvent>> ListEvents(Timestamp after, Timestamp before,
                                              int limit) override;
  Result<std::vector<Delivery>> DeliveriesForEvent(std::string_view event_uuid) override;
  Result<std::vector<std::string>> EventsCreatedBefore(Timestamp before, int limit) override;
  Result<int64_t> PurgeEvents(std::span<const std::string> uuids) override;

 private:
  SqliteDatabase& db_;
};

class SqliteDeliveryStore final : public DeliveryStore {
 public:
  explicit SqliteDeliveryStore(SqliteDatabase& db) : db_(db) {}
  // Claims, lease releases and attempt records (without a disable) commit with
  // synchronous=NORMAL: see sqlite_delivery_store.cc for why that is safe.
  Result<std::vector<Delivery>> ClaimDue(Timestamp now, int limit, std::string_view owner,
                                         Timestamp lease_until) override;
  Result<std::vector<Delivery>> ClaimDueSkipping(
      Timestamp now, int limit, std::string_view owner, Timestamp lease_until,
      std::span<const std::string> skip_subscriptions) override;
  // The earliest time a pending delivery becomes claimable: its next_attempt_at, or its lease's
  // expiry when a lease is held past that.
  Result<std::optional<Timestamp>> NextDueAt() override;
  Status RecordAttempt(const Delivery& delivery, const DeliveryAttempt& attempt,
                       const std::optional<std::string>& disable_error) override;
  std::vector<Status> RecordAttempts(std::span<const AttemptWrite> items) override;
  Status ReleaseLeases(std::span<const LeaseRelease> releases, std::string_view owner) override;
  Status ReleaseLease(std::string_view delivery_uuid, std::string_view owner,
                      Timestamp next_attempt_at) override;
  Result<std::optional<Delivery>> FindDelivery(std::string_view uuid) override;
  Result<std::vector<DeliveryAttempt>> AttemptsFor(std::string_view delivery_uuid) override;
  Result<std::vector<Delivery>> DeliveriesForSubscription(std::string_view uuid,
                                                          int limit) override;
  Result<int64_t> CountPending() override;
  Result<PendingSummary> SummarizePending() override;

 private:
  SqliteDatabase& db_;
};

// Inserts one eventlogmatch row (shared by Append and AddDeliveries); runs inside the caller's
// write transaction.
Status InsertDelivery(SqliteConnection& conn, const Delivery& d);

}  // namespace pn::sqlite
