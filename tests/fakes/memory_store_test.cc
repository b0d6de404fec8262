// The in-memory store keeps the store contracts other tests rely on.
#include "fakes/memory_store.h"

#include <gtest/gtest.h>

namespace pn::testing {
namespace {

constexpr const char* kA = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kB = "00000000-0000-4000-8000-00000000000b";
constexpr const char* kS1 = "00000000-0000-4000-8000-0000000000f1";
constexpr const char* kE1 = "00000000-0000-4000-8000-0000000000e1";
constexpr const char* kE2 = "00000000-0000-4000-8000-0000000000e2";
constexpr const char* kD1 = "00000000-0000-4000-8000-0000000000d1";
constexpr const char* kUnknown = "00000000-0000-4000-8000-000000000000";

Timestamp At(int seconds) { return Timestamp(std::chrono::seconds(1'700'000'000 + seconds)); }

Subscription Sub(std::string uuid, std::string user) {
  Subscription s;
  s.uuid = std::move(uuid);
  s.user = std::move(user);
  s.name = "n";
  s.jsonpath = "$";
  s.target_url = "http://t/";
  return s;
}

Delivery Pending(std::string uuid, std::string event, Timestamp due) {
  Delivery d;
  d.uuid = std::move(uuid);
  d.event_uuid = std::move(event);
  d.subscription_uuid = kS1;
  d.next_attempt_at = due;
  d.created = due;
  return d;
}

TEST(MemoryStoreTest, InsertOfATakenUuidIsAlreadyExists) {
  MemoryStore store;
  ASSERT_TRUE(store.Insert(Sub(kA, "u")).ok());
  EXPECT_EQ(store.Insert(Sub(kA, "v")), AlreadyExistsError(std::string("subscription ") + kA + " already exists"));
}

TEST(MemoryStoreTest, ListForUserSkipsDeletedAndForeignRowsInInsertionOrder) {
  MemoryStore store;
  auto deleted = Sub(kB, "u");
  deleted.deleted = At(0);
  ASSERT_TRUE(store.Insert(Sub("c", "u")).ok());
  ASSERT_TRUE(store.Insert(deleted).ok());
  ASSERT_TRUE(store.Insert(Sub("d", "other")).ok());
  ASSERT_TRUE(store.Insert(Sub(kA, "u")).ok());
  auto list = store.ListForUser("u");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].uuid, "c");
  EXPECT_EQ((*list)[1].uuid, kA);
}

TEST(MemoryStoreTest, UpdateOfUnknownRowIsNotFound) {
  MemoryStore store;
  EXPECT_EQ(store.Update(Sub("x", "u")), NotFoundError("subscription x does not exist"));
}

TEST(MemoryStoreTest, EveryWriteGrowsTheChangeVersion) {
  MemoryStore store;
  int64_t v0 = *store.ChangeVersion();
  ASSERT_TRUE(store.Insert(Sub(kA, "u")).ok());
  int64_t v1 = *store.ChangeVersion();
  ASSERT_TRUE(store.Disable(kA, At(1), "gone").ok());
  int64_t v2 = *store.ChangeVersion();
  EXPECT_LT(v0, v1);
  EXPECT_LT(v1, v2);
  EXPECT_TRUE(store.ListActive()->empty());
}

TEST(MemoryStoreTest, DisableKeepsTheFirstDisableTime) {
  MemoryStore store;
  ASSERT_TRUE(store.Insert(Sub(kA, "u")).ok());
  ASSERT_TRUE(store.Disable(kA, At(1), "first").ok());
  ASSERT_TRUE(store.Disable(kA, At(2), "second").ok());
  auto s = store.Find(kA);
  EXPECT_EQ((*s)->disabled, At(1));
  EXPECT_EQ((*s)->error, "first");
}

TEST(MemoryStoreTest, AppendIsAllOrNothing) {
  MemoryStore store;
  NewEvent first{StoredEvent{kE1, "{}", At(0)}, {Pending(kD1, kE1, At(0))}};
  ASSERT_TRUE(store.Append(std::span<const NewEvent>(&first, 1)).ok());
  std::vector<NewEvent> batch{{StoredEvent{kE2, "{}", At(1)}, {}},
                              {StoredEvent{kE1, "{}", At(2)}, {}}};
  EXPECT_EQ(store.Append(batch),
            AlreadyExistsError(std::string("event ") + kE1 + " already exists"));
  EXPECT_FALSE(store.FindEvent(kE2)->has_value());
}

TEST(MemoryStoreTest, ClaimedDeliveryIsNotClaimedAgainWhileLeased) {
  MemoryStore store;
  NewEvent e{StoredEvent{kE1, "{}", At(0)}, {Pending(kD1, kE1, At(0))}};
  ASSERT_TRUE(store.Append(std::span<const NewEvent>(&e, 1)).ok());
  auto first = store.ClaimDue(At(1), 10, "w1", At(60));
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].lease_owner, "w1");
  EXPECT_TRUE(store.ClaimDue(At(2), 10, "w2", At(60))->empty());
  auto after_expiry = store.ClaimDue(At(60), 10, "w2", At(120));
  ASSERT_EQ(after_expiry->size(), 1u);
  EXPECT_EQ((*after_expiry)[0].lease_owner, "w2");
}

TEST(MemoryStoreTest, RecordAttemptReleasesTheLeaseAndCanDisable) {
  MemoryStore store;
  ASSERT_TRUE(store.Insert(Sub(kS1, "u")).ok());
  NewEvent e{StoredEvent{kE1, "{}", At(0)}, {Pending(kD1, kE1, At(0))}};
  ASSERT_TRUE(store.Append(std::span<const NewEvent>(&e, 1)).ok());
  auto claimed = store.ClaimDue(At(1), 1, "w", At(60));
  Delivery d = (*claimed)[0];
  d.state = DeliveryState::kFailed;
  d.attempts = 1;
  DeliveryAttempt a;
  a.delivery_uuid = kD1;
  a.number = 1;
  a.started = At(1);
  ASSERT_TRUE(store.RecordAttempt(d, a, std::string("410 Gone")).ok());
  auto stored = store.FindDelivery(kD1);
  EXPECT_EQ((*stored)->state, DeliveryState::kFailed);
  EXPECT_EQ((*stored)->lease_owner, "");
  EXPECT_EQ(store.AttemptsFor(kD1)->size(), 1u);
  EXPECT_EQ((*store.Find(kS1))->error, "410 Gone");
  EXPECT_EQ(*store.CountPending(), 0);
}

TEST(MemoryStoreTest, PurgeRemovesEventsWithTheirDeliveries) {
  MemoryStore store;
  NewEvent e{StoredEvent{kE1, "{}", At(0)}, {Pending(kD1, kE1, At(0))}};
  ASSERT_TRUE(store.Append(std::span<const NewEvent>(&e, 1)).ok());
  std::vector<std::string> ids{kE1, kUnknown};
  EXPECT_EQ(*store.PurgeEvents(ids), 1);
  EXPECT_FALSE(store.FindDelivery(kD1)->has_value());
}

TEST(MemoryStoreTest, UnavailableStoreFailsEveryCall) {
  MemoryStore store;
  store.SetUnavailable(true);
  EXPECT_EQ(store.Ping(), UnavailableError("memory store: database unavailable"));
  EXPECT_EQ(store.Find(kA).status().code(), StatusCode::kUnavailable);
}

TEST(MemoryStoreTest, EmptyDatabaseSyncsToTheCurrentSchema) {
  MemoryStore store(std::nullopt);
  EXPECT_TRUE(*store.IsEmpty());
  EXPECT_EQ(*store.Version(), (SchemaVersion{0, 0}));
  ASSERT_TRUE(store.Sync().ok());
  EXPECT_EQ(*store.Version(), kCurrentSchema);
  EXPECT_FALSE(*store.IsEmpty());
}

}  // namespace
}  // namespace pn::testing
