// The PostgreSQL implementations of each store interface, sharing one connection pool.
// Internal to store/postgres: others get them through OpenPostgresStore().
// Thread-safety: every method may be called from any thread (the pool hands out connections).
#pragma once

#include "store/postgres/pg_listener.h"
#include "store/postgres/pg_pool.h"
#include "store/store.h"

namespace pn::pg {

class PgSubscriptionStore final : public SubscriptionStore {
 public:
  PgSubscriptionStore(PgPool& pool, ChangeListener& listener)
      : pool_(pool), listener_(listener) {}
  Status Insert(const Subscription& s) override;
  Result<std::optional<Subscription>> Find(std::string_view uuid) override;
  Result<std::vector<Subscription>> ListForUser(std::string_view user) override;
  Result<std::vector<Subscription>> ListActive() override;
  Result<int64_t> CountDisabled() override;
  Status Update(const Subscription& s) override;
  Status Disable(std::string_view uuid, Timestamp when, std::string_view error) override;
  // A counter bumped by a trigger on eventmatch, so writes by any process count.
  Result<int64_t> ChangeVersion() override;
  // Woken by NOTIFY from that trigger (see ChangeListener).
  Status WaitForChange(int64_t seen_version, Duration timeout) override;

 private:
  PgPool& pool_;
  ChangeListener& listener_;
};

class PgEventStore final : public EventStore {
 public:
  explicit PgEventStore(PgPool& pool) : pool_(pool) {}
  Status Append(std::span<const NewEvent> batch) override;
  Status AddDeliveries(std::span<const Delivery> deliveries) override;
  Result<std::optional<StoredEvent>> FindEvent(std::string_view uuid) override;
  Result<std::vector<StoredEvent>> ListEvents(Timestamp after, Timestamp before,
                                              int limit) override;
  Result<std::vector<Delivery>> DeliveriesForEvent(std::string_view event_uuid) override;
  Result<std::vector<std::string>> EventsCreatedBefore(Timestamp before, int limit) override;
  Result<int64_t> PurgeEvents(std::span<const std::string> uuids) override;

 private:
  PgPool& pool_;
};

class PgDeliveryStore final : public DeliveryStore {
 public:
  explicit PgDeliveryStore(PgPool& pool) : pool_(pool) {}
  // SELECT ... FOR UPDATE SKIP LOCKED, so processes claiming at once take disjoint rows.
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
  // One transaction with synchronous_commit off unless an item disables its subscription.
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
  PgPool& pool_;
};

// Inserts eventlogmatch rows in one statement (shared by Append and AddDeliveries).
Status InsertDeliveries(PgConnection& conn, std::span<const Delivery> deliveries);

}  // namespace pn::pg
