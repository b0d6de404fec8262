#include "match/subscription_index.h"

#include <gtest/gtest.h>

#include "fake_subscription_store.h"

namespace pn::match {
namespace {

using testing::FakeSubscriptionStore;
using testing::MakeSubscription;

const char* kIngest = R"($[?(@["eventType"] = "org.pacifica.metadata.ingest")])";
const char* kOrm = R"($[?(@["eventType"] = "org.pacifica.metadata.orm")])";

Json Event(const char* type) {
  Json e = Json::object();
  e["eventType"] = type;
  e["data"] = Json::array({1, 2, 3});
  return e;
}

std::vector<std::string> Uuids(const std::vector<SubscriptionRef>& subs) {
  std::vector<std::string> out;
  for (const auto& s : subs) out.push_back(s->uuid);
  return out;
}

TEST(SubscriptionIndex, StartsEmptyUntilSynced) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, "$")).ok());
  SubscriptionIndex index(store);
  EXPECT_TRUE(index.Match(Event("x")).empty());
  ASSERT_TRUE(index.Sync().ok());
  EXPECT_EQ(Uuids(index.Match(Event("x"))), std::vector<std::string>{MakeSubscription(1, "").uuid});
}

TEST(SubscriptionIndex, MatchesInStoreOrder) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(3, kIngest)).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(1, "$.data")).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(2, kOrm)).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  EXPECT_EQ(Uuids(index.Match(Event("org.pacifica.metadata.ingest"))),
            (std::vector<std::string>{MakeSubscription(3, "").uuid, MakeSubscription(1, "").uuid}));
}

TEST(SubscriptionIndex, SyncDoesNotRelistWhenVersionUnchanged) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  ASSERT_TRUE(index.Sync().ok());
  ASSERT_TRUE(index.Sync().ok());
  EXPECT_EQ(store.list_active_calls(), 1);
}

TEST(SubscriptionIndex, SyncPicksUpChangesMadeElsewhere) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(2, kIngest)).ok());
  ASSERT_TRUE(store.Disable(MakeSubscription(1, "").uuid, Timestamp{}, "gone").ok());
  ASSERT_TRUE(index.Sync().ok());
  EXPECT_EQ(Uuids(index.Match(Event("org.pacifica.metadata.ingest"))),
            std::vector<std::string>{MakeSubscription(2, "").uuid});
}

TEST(SubscriptionIndex, RebuildReusesCompiledPathOfUnchangedSubscription) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  const std::string uuid = MakeSubscription(1, "").uuid;
  const jsonpath::Path* before = index.snapshot()->Find(uuid)->compiled->path();
  ASSERT_TRUE(store.Insert(MakeSubscription(2, kOrm)).ok());
  ASSERT_TRUE(index.Sync().ok());
  ASSERT_EQ(index.snapshot()->size(), 2u);
  EXPECT_EQ(index.snapshot()->Find(uuid)->compiled->path(), before);
}

TEST(SubscriptionIndex, StoreErrorKeepsCurrentSnapshot) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  store.FailWith(UnavailableError("database is locked"));
  EXPECT_EQ(index.Sync(), UnavailableError("database is locked"));
  EXPECT_EQ(index.Match(Event("org.pacifica.metadata.ingest")).size(), 1u);
}

TEST(SubscriptionIndex, OnChangedAddsNewSubscriptionAtTheEnd) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  ASSERT_TRUE(index.OnSubscriptionChanged(MakeSubscription(0, "$.data")).ok());
  EXPECT_EQ(Uuids(index.Match(Event("org.pacifica.metadata.ingest"))),
            (std::vector<std::string>{MakeSubscription(1, "").uuid, MakeSubscription(0, "").uuid}));
  EXPECT_EQ(store.list_active_calls(), 1);
}

TEST(SubscriptionIndex, OnChangedReplacesInPlaceWithTheNewPath) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(2, "$.data")).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  ASSERT_TRUE(index.OnSubscriptionChanged(MakeSubscription(1, kOrm)).ok());
  EXPECT_EQ(Uuids(index.Match(Event("org.pacifica.metadata.ingest"))),
            std::vector<std::string>{MakeSubscription(2, "").uuid});
  EXPECT_EQ(Uuids(index.Match(Event("org.pacifica.metadata.orm"))),
            (std::vector<std::string>{MakeSubscription(1, "").uuid, MakeSubscription(2, "").uuid}));
}

TEST(SubscriptionIndex, OnChangedRemovesDisabledAndDeleted) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, "$")).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(2, "$")).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  Subscription disabled = MakeSubscription(1, "$");
  disabled.disabled = Timestamp{};
  Subscription deleted = MakeSubscription(2, "$");
  deleted.deleted = Timestamp{};
  ASSERT_TRUE(index.OnSubscriptionChanged(disabled).ok());
  ASSERT_TRUE(index.OnSubscriptionChanged(deleted).ok());
  EXPECT_TRUE(index.Match(Event("x")).empty());
}

TEST(SubscriptionIndex, OnChangedWithInvalidPathRemovesItAndSaysWhy) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, "$")).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  Status s = index.OnSubscriptionChanged(MakeSubscription(1, "data"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("subscription " + MakeSubscription(1, "").uuid +
                                  " has an invalid jsonpath: ", 0),
            0u)
      << s.message();
  EXPECT_TRUE(index.Match(Event("x")).empty());
}

TEST(SubscriptionIndex, UnparsableStoredPathIsSkippedOthersStillMatch) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, "not a path")).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(2, "$")).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  EXPECT_EQ(Uuids(index.Match(Event("x"))), std::vector<std::string>{MakeSubscription(2, "").uuid});
}

TEST(SubscriptionIndex, EvaluationErrorIsNoMatchForThatSubscriptionOnly) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, "$.data[::0]")).ok());  // step 0 raises
  ASSERT_TRUE(store.Insert(MakeSubscription(2, "$.data")).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  EXPECT_EQ(Uuids(index.Match(Event("x"))), std::vector<std::string>{MakeSubscription(2, "").uuid});
}

TEST(SubscriptionIndex, IndexedSubscriptionsAreNotCandidatesForOtherTypes) {
  FakeSubscriptionStore store;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(store
                    .Insert(MakeSubscription(
                        i, "$[?(@.type = \"t" + std::to_string(i) + "\")][\"data\"]"))
                    .ok());
  }
  ASSERT_TRUE(store.Insert(MakeSubscription(100, "$.data")).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  Json e = {{"type", "t42"}, {"data", 1}};
  EXPECT_EQ(index.snapshot()->CandidateCount(e), 2u);
  EXPECT_EQ(index.snapshot()->unindexed_count(), 1u);
  EXPECT_EQ(Uuids(index.Match(e)),
            (std::vector<std::string>{MakeSubscription(42, "").uuid, MakeSubscription(100, "").uuid}));
}

TEST(SubscriptionIndex, ReadersKeepTheirSnapshotAcrossAChange) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, "$")).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  auto held = index.snapshot();
  Subscription gone = MakeSubscription(1, "$");
  gone.deleted = Timestamp{};
  ASSERT_TRUE(index.OnSubscriptionChanged(gone).ok());
  EXPECT_EQ(held->Match(Event("x")).size(), 1u);
  EXPECT_EQ(index.Match(Event("x")).size(), 0u);
}

TEST(SubscriptionIndex, IdenticalPathsShareOneParsedPath) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(2, kIngest)).ok());
  // Written differently: interned by text, so a path of its own.
  ASSERT_TRUE(store.Insert(MakeSubscription(3, R"($[?(@.eventType = "org.pacifica.metadata.ingest")])")).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(4, kOrm)).ok());
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  auto snap = index.snapshot();
  auto path = [&](int n) { return snap->Find(MakeSubscription(n, "").uuid)->compiled.get(); };
  EXPECT_EQ(path(1), path(2));
  EXPECT_NE(path(1), path(3));
  EXPECT_NE(path(1), path(4));
  ASSERT_TRUE(index.OnSubscriptionChanged(MakeSubscription(5, kOrm)).ok());
  EXPECT_EQ(index.snapshot()->Find(MakeSubscription(5, "").uuid)->compiled.get(), path(4));
}

TEST(SubscriptionIndex, AFiledPathIsParsedOnlyWhenAnEventMeetsItsRequirement) {
  FakeSubscriptionStore store;
  ASSERT_TRUE(store.Insert(MakeSubscription(1, kIngest)).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(2, kOrm)).ok());
  ASSERT_TRUE(store.Insert(MakeSubscription(3, "$.absent")).ok());  // no requirement
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  auto compiled = [&](int n) { return index.snapshot()->Find(MakeSubscription(n, "").uuid)->compiled; };
  EXPECT_FALSE(compiled(1)->parsed());
  EXPECT_FALSE(compiled(2)->parsed());
  EXPECT_TRUE(compiled(3)->parsed());  // a candidate for every event: parsed at once

  EXPECT_EQ(Uuids(index.Match(Event("org.pacifica.metadata.ingest"))),
            std::vector<std::string>{MakeSubscription(1, "").uuid});
  EXPECT_TRUE(compiled(1)->parsed());
  EXPECT_FALSE(compiled(2)->parsed());  // its requirement was not met: never evaluated
  const jsonpath::Path* first = compiled(1)->path();
  EXPECT_EQ(Uuids(index.Match(Event("org.pacifica.metadata.ingest"))).size(), 1u);
  EXPECT_EQ(compiled(1)->path(), first);  // parsed once, then reused
}

// Regression: the index took the first requirement (eventType, shared by all consumer-shaped
// subscriptions), so every subscription was a candidate for every event.
TEST(SubscriptionIndex, FilesUnderTheMostSelectiveRequirement) {
  FakeSubscriptionStore store;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store
                    .Insert(MakeSubscription(
                        i, R"($[?(@["eventType"] = "org.pacifica.metadata.ingest" and @["source"] = "s)" +
                               std::to_string(i) + R"(")])"))
                    .ok());
  }
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  Json e = {{"eventType", "org.pacifica.metadata.ingest"}, {"source", "s7"}};
  EXPECT_EQ(index.snapshot()->CandidateCount(e), 1u);
  EXPECT_EQ(Uuids(index.Match(e)), std::vector<std::string>{MakeSubscription(7, "").uuid});
}

TEST(SubscriptionIndex, IndexesEqualitiesOnDataElements) {
  FakeSubscriptionStore store;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store
                    .Insert(MakeSubscription(
                        i, R"($[?(@["eventType"] = "ingest")]["data"][*][?(@["destinationTable"] = )"
                           R"("Transactions.project" and @["value"] = )" + std::to_string(1000 + i) + ")]"))
                    .ok());
  }
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  Json e = Json::parse(R"({"eventType": "ingest", "data": [
      {"destinationTable": "Transactions.submitter", "value": 1003},
      {"destinationTable": "Transactions.project", "value": 1004.0}]})");
  // 1003 and 1004 are candidates (a value each); only 1004 is the project.
  EXPECT_EQ(index.snapshot()->CandidateCount(e), 2u);
  EXPECT_EQ(Uuids(index.Match(e)), std::vector<std::string>{MakeSubscription(4, "").uuid});
}

TEST(SubscriptionIndex, OnChangedKeepsOtherSubscriptionsIndexed) {
  FakeSubscriptionStore store;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store.Insert(MakeSubscription(i, "$[?(@.type = \"t" + std::to_string(i) + "\")]")).ok());
  }
  SubscriptionIndex index(store);
  ASSERT_TRUE(index.Sync().ok());
  ASSERT_TRUE(index.OnSubscriptionChanged(MakeSubscription(3, "$[?(@.type = \"t5\")]")).ok());
  ASSERT_TRUE(index.OnSubscriptionChanged(MakeSubscription(20, "$[?(@.type = \"t5\")]")).ok());
  Json e = {{"type", "t5"}};
  EXPECT_EQ(index.snapshot()->CandidateCount(e), 3u);
  EXPECT_EQ(Uuids(index.Match(e)),
            (std::vector<std::string>{MakeSubscription(3, "").uuid, MakeSubscription(5, "").uuid,
                                      MakeSubscription(20, "").uuid}));
  EXPECT_TRUE(index.Match(Json{{"type", "t3"}}).empty());
  EXPECT_EQ(index.snapshot()->size(), 21u);
}

}  // namespace
}  // namespace pn::match
