// An in-memory implementation of every interface in src/store/store.h, for tests. It keeps the
// contracts of the real backends (ordering, AlreadyExists/NotFound, leases, atomic batches) so
// tests written against it hold for SQLite and PostgreSQL too.
// Test controls: SetUnavailable() makes every call fail as an unreachable database would.
// Thread-safety: every method may be called from any thread (one internal mutex).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace pn::testing {

class MemoryStore final : public Store,
                          public SubscriptionStore,
                          public EventStore,
                          public DeliveryStore,
                          public SchemaManager {
 public:
  // `schema`: the version the database starts at; nullopt for an empty database.
  explicit MemoryStore(std::optional<SchemaVersion> schema = kCurrentSchema);

  // While true, every call answers Unavailable("memory store: database unavailable").
  void SetUnavailable(bool unavailable);

  // Store
  SubscriptionStore& subscriptions() override { return *this; }
  EventStore& events() override { return *this; }
  DeliveryStore& deliveries() override { return *this; }
  SchemaManager& schema() override { return *this; }
  Status Ping() override;

  // SubscriptionStore
  Status Insert(const Subscription& s) override;
  Result<std::optional<Subscription>> Find(std::string_view uuid) override;
  Result<std::vector<Subscription>> ListForUser(std::string_view user) override;
  Result<std::vector<Subscription>> ListActive() override;
  Result<int64_t> CountDisabled() override;
  Status Update(const Subscription& s) override;
  Status Disable(std::string_view uuid, Timestamp when, std::string_view error) override;
  Result<int64_t> ChangeVersion() override;
  Status WaitForChange(int64_t seen_version, Duration timeout) override;

  // EventStore
  Status Append(std::span<const NewEvent> batch) override;
  Status AddDeliveries(std::span<const Delivery> deliveries) override;
  Result<std::optional<StoredEvent>> FindEvent(std::string_view uuid) override;
  Result<std::vector<StoredEvent>> ListEvents(Timestamp after, Timestamp before,
                                              int limit) override;
  Result<std::vector<Delivery>> DeliveriesForEvent(std::string_view event_uuid) override;
  Result<std::vector<std::string>> EventsCreatedBefore(Timestamp before, int limit) override;
  Result<int64_t> PurgeEvents(std::span<const std::string> uuids) override;

  // DeliveryStore
  Result<std::vector<Delivery>> ClaimDue(Timestamp now, int limit, std::string_view owner,
                                         Timestamp lease_until) override;
  Result<std::vector<Delivery>> ClaimDueSkipping(
      Timestamp now, int limit, std::string_view owner, Timestamp lease_until,
      std::span<const std::string> skip_subscriptions) override;
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

  // SchemaManager
  Result<SchemaVersion> Version() override;
  Result<bool> IsEmpty() override;
  Status Sync() override;

 private:
  Status CheckAvailable() const;  // mu_ held
  Status DisableLocked(std::string_view uuid, Timestamp when, std::string_view error);
  Status RecordAttemptLocked(const Delivery& delivery, const DeliveryAttempt& attempt,
                             const std::optional<std::string>& disable_error);  // mu_ held

  mutable std::mutex mu_;
  std::condition_variable changed_;  // notified whenever change_version_ grows
  bool unavailable_ = false;
  std::optional<SchemaVersion> schema_;
  // Insertion order is kept; lookups are linear, which is fine at test sizes.
  std::vector<Subscription> subscriptions_;
  std::vector<StoredEvent> events_;
  std::vector<Delivery> deliveries_;
  std::vector<DeliveryAttempt> attempts_;
  int64_t change_version_ = 0;
};

}  // namespace pn::testing
