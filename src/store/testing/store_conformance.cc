#include "store/testing/store_conformance.h"

#include "common/uuid.h"

namespace pn::testing {

Timestamp T0() {
  using namespace std::chrono;
  return sys_days{year{2026} / 1 / 2} + hours{3} + minutes{4} + seconds{5} + microseconds{123456};
}

void StoreConformanceTest::SetUp() {
  auto store = GetParam().make();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store_ = std::move(*store);
  Status synced = store_->schema().Sync();
  ASSERT_TRUE(synced.ok()) << synced.ToString();
}

std::string StoreConformanceTest::NewUuid4Seeded() { return NewUuid4(random_); }

Subscription StoreConformanceTest::MakeSubscription(const std::string& user, Timestamp created) {
  Subscription s;
  s.uuid = NewId();
  s.name = "sub of " + user;
  s.jsonpath = "$[\"data\"]";
  s.user = user;
  s.target_url = "http://127.0.0.1:8080/receive";
  s.extensions = Json::object();
  s.extensions["k"] = "v";
  s.auth = Json::object();
  s.auth["type"] = "basic";
  s.auth["basic"] = {{"username", "u"}, {"password", "p"}};
  s.created = created;
  s.updated = created;
  return s;
}

StoredEvent StoreConformanceTest::MakeEvent(Timestamp created) {
  StoredEvent e;
  e.uuid = NewId();
  e.jsondata = R"({"eventID": ")" + e.uuid + R"(", "data": [1, 2.0, "\u00e9"]})";
  e.created = created;
  return e;
}

Delivery StoreConformanceTest::MakeDelivery(const StoredEvent& event,
                                            const Subscription& subscription,
                                            Timestamp created) {
  Delivery d;
  d.uuid = NewId();
  d.event_uuid = event.uuid;
  d.subscription_uuid = subscription.uuid;
  d.state = DeliveryState::kPending;
  d.next_attempt_at = created;
  d.created = created;
  d.updated = created;
  return d;
}

std::vector<Delivery> StoreConformanceTest::SeedPending(int count, Timestamp due) {
  Subscription s = MakeSubscription("seed", T0());
  Status inserted = store_->subscriptions().Insert(s);
  EXPECT_TRUE(inserted.ok()) << inserted.ToString();
  NewEvent item{MakeEvent(T0()), {}};
  for (int i = 0; i < count; ++i) {
    Delivery d = MakeDelivery(item.event, s, T0() + std::chrono::microseconds(i));
    d.next_attempt_at = due;
    item.deliveries.push_back(d);
  }
  Status appended = store_->events().Append(std::span<const NewEvent>(&item, 1));
  EXPECT_TRUE(appended.ok()) << appended.ToString();
  return item.deliveries;
}

void StoreSchemaConformanceTest::SetUp() {
  auto store = GetParam().make();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store_ = std::move(*store);
}

}  // namespace pn::testing
