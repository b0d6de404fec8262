// Conformance: EventStore.
#include "store/testing/store_conformance.h"

namespace pn::testing {
namespace {

using std::chrono::seconds;

std::vector<std::string> EventUuids(const std::vector<StoredEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.uuid);
  return out;
}

std::vector<std::string> DeliveryUuids(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> out;
  for (const auto& d : deliveries) out.push_back(d.uuid);
  return out;
}

TEST_P(EventConformanceTest, AppendStoresEventsWithTheirDeliveries) {
  Subscription sub = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(sub));
  std::vector<NewEvent> batch(2);
  batch[0].event = MakeEvent(T0());
  batch[0].deliveries = {MakeDelivery(batch[0].event, sub, T0()),
                         MakeDelivery(batch[0].event, sub, T0() + seconds(1))};
  batch[1].event = MakeEvent(T0() + seconds(1));
  PN_ASSERT_OK(store_->events().Append(batch));

  auto event = Must(store_->events().FindEvent(batch[0].event.uuid));
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->uuid, batch[0].event.uuid);
  EXPECT_EQ(event->jsondata, batch[0].event.jsondata);
  EXPECT_EQ(event->created, T0());
  auto deliveries = Must(store_->events().DeliveriesForEvent(batch[0].event.uuid));
  ASSERT_EQ(deliveries.size(), 2u);
  const Delivery& d = deliveries[0];
  EXPECT_EQ(d.uuid, batch[0].deliveries[0].uuid);
  EXPECT_EQ(d.event_uuid, batch[0].event.uuid);
  EXPECT_EQ(d.subscription_uuid, sub.uuid);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 0);
  EXPECT_EQ(d.next_attempt_at, T0());
  EXPECT_EQ(d.created, T0());
  EXPECT_EQ(d.updated, T0());
  EXPECT_EQ(d.policy_status_code, "");
  EXPECT_EQ(d.target_status_code, "");
  EXPECT_EQ(d.lease_owner, "");
  EXPECT_EQ(d.lease_expires, std::nullopt);
  EXPECT_EQ(deliveries[1].uuid, batch[0].deliveries[1].uuid);
  EXPECT_TRUE(Must(store_->events().FindEvent(batch[1].event.uuid)).has_value());
  EXPECT_TRUE(Must(store_->events().DeliveriesForEvent(batch[1].event.uuid)).empty());
}

TEST_P(EventConformanceTest, AppendIsAllOrNothing) {
  NewEvent first{MakeEvent(T0()), {}};
  PN_ASSERT_OK(store_->events().Append(std::span<const NewEvent>(&first, 1)));
  std::vector<NewEvent> batch(2);
  batch[0].event = MakeEvent(T0());
  batch[1].event = first.event;  // duplicate key: the whole batch must fail
  EXPECT_EQ(store_->events().Append(batch).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Must(store_->events().FindEvent(batch[0].event.uuid)), std::nullopt);
}

TEST_P(EventConformanceTest, AppendEmptyBatchIsOk) {
  PN_EXPECT_OK(store_->events().Append(std::span<const NewEvent>()));
}

TEST_P(EventConformanceTest, AddDeliveriesAttachesToAnExistingEvent) {
  Subscription sub = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(sub));
  NewEvent item{MakeEvent(T0()), {}};
  PN_ASSERT_OK(store_->events().Append(std::span<const NewEvent>(&item, 1)));
  std::vector<Delivery> more = {MakeDelivery(item.event, sub, T0() + seconds(3))};
  PN_ASSERT_OK(store_->events().AddDeliveries(more));
  EXPECT_EQ(DeliveryUuids(Must(store_->events().DeliveriesForEvent(item.event.uuid))),
            DeliveryUuids(more));
}

TEST_P(EventConformanceTest, FindEventUnknownIsNullopt) {
  EXPECT_EQ(Must(store_->events().FindEvent(NewId())), std::nullopt);
}

TEST_P(EventConformanceTest, ListEventsIsStrictAtBothEndsAndLimited) {
  std::vector<StoredEvent> events;
  for (int i = 0; i < 5; ++i) {
    NewEvent item{MakeEvent(T0() + seconds(i)), {}};
    PN_ASSERT_OK(store_->events().Append(std::span<const NewEvent>(&item, 1)));
    events.push_back(item.event);
  }
  EXPECT_EQ(EventUuids(Must(store_->events().ListEvents(T0(), T0() + seconds(4), 10))),
            (std::vector<std::string>{events[1].uuid, events[2].uuid, events[3].uuid}));
  EXPECT_EQ(Must(store_->events().ListEvents(T0() - seconds(1), T0() + seconds(9), 2)).size(),
            2u);
}

TEST_P(EventConformanceTest, EventsCreatedBeforeIsOldestFirstAndLimited) {
  std::vector<std::string> uuids;
  for (int i = 3; i >= 0; --i) {  // inserted newest first
    NewEvent item{MakeEvent(T0() + seconds(i)), {}};
    PN_ASSERT_OK(store_->events().Append(std::span<const NewEvent>(&item, 1)));
    uuids.insert(uuids.begin(), item.event.uuid);
  }
  EXPECT_EQ(Must(store_->events().EventsCreatedBefore(T0() + seconds(3), 2)),
            (std::vector<std::string>{uuids[0], uuids[1]}));
  EXPECT_EQ(Must(store_->events().EventsCreatedBefore(T0() + seconds(3), 10)).size(), 3u);
}

TEST_P(EventConformanceTest, PurgeRemovesEventsDeliveriesAndAttempts) {
  std::vector<Delivery> deliveries = SeedPending(2, T0());
  const std::string event_uuid = deliveries[0].event_uuid;
  NewEvent kept{MakeEvent(T0()), {}};
  PN_ASSERT_OK(store_->events().Append(std::span<const NewEvent>(&kept, 1)));
  Delivery done = deliveries[0];
  done.state = DeliveryState::kDelivered;
  done.attempts = 1;
  DeliveryAttempt attempt{done.uuid, 1, T0(), seconds(1), 200, "ok", 200, "ok", ""};
  PN_ASSERT_OK(store_->deliveries().RecordAttempt(done, attempt, std::nullopt));

  std::vector<std::string> purge = {event_uuid, NewId()};
  EXPECT_EQ(Must(store_->events().PurgeEvents(purge)), 1);
  EXPECT_EQ(Must(store_->events().FindEvent(event_uuid)), std::nullopt);
  EXPECT_TRUE(Must(store_->events().DeliveriesForEvent(event_uuid)).empty());
  EXPECT_EQ(Must(store_->deliveries().FindDelivery(done.uuid)), std::nullopt);
  EXPECT_TRUE(Must(store_->deliveries().AttemptsFor(done.uuid)).empty());
  EXPECT_TRUE(Must(store_->events().FindEvent(kept.event.uuid)).has_value());
}

TEST_P(EventConformanceTest, PurgeMalformedUuidIsInvalidArgument) {
  std::vector<std::string> purge = {"nope"};
  EXPECT_EQ(store_->events().PurgeEvents(purge).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pn::testing
