#include "metrics/instrumented_store.h"

#include <chrono>
#include <type_traits>

namespace pn::metrics {
namespace {

bool IsOk(const Status& s) { return s.ok(); }
template <typename T>
bool IsOk(const Result<T>& r) {
  return r.ok();
}
// A batch with one answer per item succeeded when every item did.
bool IsOk(const std::vector<Status>& each) {
  for (const Status& s : each) {
    if (!s.ok()) return false;
  }
  return true;
}

// Runs `call`, reports how long it took and whether it succeeded, returns its answer.
// WaitForChange is not timed: it blocks on purpose and would drown the latency histogram.
template <typename F>
auto Timed(Metrics& metrics, std::string_view operation, F&& call) {
  auto start = std::chrono::steady_clock::now();
  auto answer = call();
  auto elapsed = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
  metrics.DatabaseCall(operation, elapsed, IsOk(answer));
  return answer;
}

class TimedSubscriptions final : public SubscriptionStore {
 public:
  TimedSubscriptions(SubscriptionStore& in, Metrics& m) : in_(in), m_(m) {}
  Status Insert(const Subscription& s) override {
    return Timed(m_, "subscriptions.Insert", [&] { return in_.Insert(s); });
  }
  Result<std::optional<Subscription>> Find(std::string_view uuid) override {
    return Timed(m_, "subscriptions.Find", [&] { return in_.Find(uuid); });
  }
  Result<std::vector<Subscription>> ListForUser(std::string_view user) override {
    return Timed(m_, "subscriptions.ListForUser", [&] { return in_.ListForUser(user); });
  }
  Result<std::vector<Subscription>> ListActive() override {
    return Timed(m_, "subscriptions.ListActive", [&] { return in_.ListActive(); });
  }
  Status Update(const Subscription& s) override {
    return Timed(m_, "subscriptions.Update", [&] { return in_.Update(s); });
  }
  Status Disable(std::string_view uuid, Timestamp when, std::string_view error) override {
    return Timed(m_, "subscriptions.Disable", [&] { return in_.Disable(uuid, when, error); });
  }
  Result<int64_t> CountDisabled() override {
    return Timed(m_, "subscriptions.CountDisabled", [&] { return in_.CountDisabled(); });
  }
  Result<int64_t> ChangeVersion() override {
    return Timed(m_, "subscriptions.ChangeVersion", [&] { return in_.ChangeVersion(); });
  }
  Status WaitForChange(int64_t seen_version, Duration timeout) override {
    return in_.WaitForChange(seen_version, timeout);
  }

 private:
  SubscriptionStore& in_;
  Metrics& m_;
};

class TimedEvents final : public EventStore {
 public:
  TimedEvents(EventStore& in, Metrics& m) : in_(in), m_(m) {}
  Status Append(std::span<const NewEvent> batch) override {
    return Timed(m_, "events.Append", [&] { return in_.Append(batch); });
  }
  Status AddDeliveries(std::span<const Delivery> deliveries) override {
    return Timed(m_, "events.AddDeliveries", [&] { return in_.AddDeliveries(deliveries); });
  }
  Result<std::optional<StoredEvent>> FindEvent(std::string_view uuid) override {
    return Timed(m_, "events.FindEvent", [&] { return in_.FindEvent(uuid); });
  }
  Result<std::vector<StoredEvent>> ListEvents(Timestamp after, Timestamp before,
                                              int limit) override {
    return Timed(m_, "events.ListEvents", [&] { return in_.ListEvents(after, before, limit); });
  }
  Result<std::vector<Delivery>> DeliveriesForEvent(std::string_view event_uuid) override {
    return Timed(m_, "events.DeliveriesForEvent",
                 [&] { return in_.DeliveriesForEvent(event_uuid); });
  }
  Result<std::vector<std::string>> EventsCreatedBefore(Timestamp before, int limit) override {
    return Timed(m_, "events.EventsCreatedBefore",
                 [&] { return in_.EventsCreatedBefore(before, limit); });
  }
  Result<int64_t> PurgeEvents(std::span<const std::string> uuids) override {
    return Timed(m_, "events.PurgeEvents", [&] { return in_.PurgeEvents(uuids); });
  }

 private:
  EventStore& in_;
  Metrics& m_;
};

class TimedDeliveries final : public DeliveryStore {
 public:
  TimedDeliveries(DeliveryStore& in, Metrics& m) : in_(in), m_(m) {}
  Result<std::vector<Delivery>> ClaimDue(Timestamp now, int limit, std::string_view owner,
                                         Timestamp lease_until) override {
    return Timed(m_, "deliveries.ClaimDue",
                 [&] { return in_.ClaimDue(now, limit, owner, lease_until); });
  }
  Result<std::vector<Delivery>> ClaimDueSkipping(
      Timestamp now, int limit, std::string_view owner, Timestamp lease_until,
      std::span<const std::string> skip_subscriptions) override {
    return Timed(m_, "deliveries.ClaimDueSkipping", [&] {
      return in_.ClaimDueSkipping(now, limit, owner, lease_until, skip_subscriptions);
    });
  }
  Result<std::optional<Timestamp>> NextDueAt() override {
    return Timed(m_, "deliveries.NextDueAt", [&] { return in_.NextDueAt(); });
  }
  std::vector<Status> RecordAttempts(std::span<const AttemptWrite> items) override {
    return Timed(m_, "deliveries.RecordAttempts", [&] { return in_.RecordAttempts(items); });
  }
  Status ReleaseLeases(std::span<const LeaseRelease> releases, std::string_view owner) override {
    return Timed(m_, "deliveries.ReleaseLeases",
                 [&] { return in_.ReleaseLeases(releases, owner); });
  }
  Status RecordAttempt(const Delivery& delivery, const DeliveryAttempt& attempt,
                       const std::optional<std::string>& disable_error) override {
    return Timed(m_, "deliveries.RecordAttempt",
                 [&] { return in_.RecordAttempt(delivery, attempt, disable_error); });
  }
  Status ReleaseLease(std::string_view delivery_uuid, std::string_view owner,
                      Timestamp next_attempt_at) override {
    return Timed(m_, "deliveries.ReleaseLease",
                 [&] { return in_.ReleaseLease(delivery_uuid, owner, next_attempt_at); });
  }
  Result<std::optional<Delivery>> FindDelivery(std::string_view uuid) override {
    return Timed(m_, "deliveries.FindDelivery", [&] { return in_.FindDelivery(uuid); });
  }
  Result<std::vector<DeliveryAttempt>> AttemptsFor(std::string_view delivery_uuid) override {
    return Timed(m_, "deliveries.AttemptsFor", [&] { return in_.AttemptsFor(delivery_uuid); });
  }
  Result<std::vector<Delivery>> DeliveriesForSubscription(std::string_view uuid,
                                                          int limit) override {
    return Timed(m_, "deliveries.DeliveriesForSubscription",
                 [&] { return in_.DeliveriesForSubscription(uuid, limit); });
  }
  Result<int64_t> CountPending() override {
    return Timed(m_, "deliveries.CountPending", [&] { return in_.CountPending(); });
  }
  Result<PendingSummary> SummarizePending() override {
    return Timed(m_, "deliveries.SummarizePending", [&] { return in_.SummarizePending(); });
  }

 private:
  DeliveryStore& in_;
  Metrics& m_;
};

}  // namespace

struct InstrumentedStore::Parts {
  TimedSubscriptions subscriptions;
  TimedEvents events;
  TimedDeliveries deliveries;
};

InstrumentedStore::InstrumentedStore(Store& inner, Metrics& metrics)
    : inner_(inner),
      metrics_(metrics),
      parts_(new Parts{TimedSubscriptions(inner.subscriptions(), metrics),
                       TimedEvents(inner.events(), metrics),
                       TimedDeliveries(inner.deliveries(), metrics)}) {}

InstrumentedStore::~InstrumentedStore() = default;

SubscriptionStore& InstrumentedStore::subscriptions() { return parts_->subscriptions; }
EventStore& InstrumentedStore::events() { return parts_->events; }
DeliveryStore& InstrumentedStore::deliveries() { return parts_->deliveries; }
// Schema changes run once at start-up, before the server serves: not worth a histogram series.
SchemaManager& InstrumentedStore::schema() { return inner_.schema(); }
Status InstrumentedStore::Ping() {
  return Timed(metrics_, "Ping", [&] { return inner_.Ping(); });
}

}  // namespace pn::metrics
