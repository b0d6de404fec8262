// Conformance: SubscriptionStore.
#include <algorithm>
#include <thread>

#include "common/uuid.h"
#include "store/testing/store_conformance.h"

namespace pn::testing {
namespace {

using std::chrono::seconds;

std::vector<std::string> Uuids(const std::vector<Subscription>& subs) {
  std::vector<std::string> out;
  for (const auto& s : subs) out.push_back(s.uuid);
  return out;
}

void ExpectSame(const Subscription& a, const Subscription& b) {
  EXPECT_EQ(a.uuid, b.uuid);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.jsonpath, b.jsonpath);
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.disabled, b.disabled);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.target_url, b.target_url);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.extensions, b.extensions);
  EXPECT_EQ(a.auth, b.auth);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.updated, b.updated);
  EXPECT_EQ(a.deleted, b.deleted);
}

TEST_P(SubscriptionConformanceTest, InsertThenFindReturnsEveryField) {
  Subscription s = MakeSubscription("johndoe", T0());
  s.disabled = T0() + seconds(1);
  s.error = "target answered 410";
  s.deleted = T0() + seconds(2);  // a whole second: stored without a fraction
  s.extensions = Json::parse(R"({"nested": {"a": [1, 2.5, null]}, "é": "ü"})");
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  auto found = Must(store_->subscriptions().Find(s.uuid));
  ASSERT_TRUE(found.has_value());
  ExpectSame(*found, s);
}

TEST_P(SubscriptionConformanceTest, InsertDuplicateIsAlreadyExists) {
  Subscription s = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  EXPECT_EQ(store_->subscriptions().Insert(s).code(), StatusCode::kAlreadyExists);
}

TEST_P(SubscriptionConformanceTest, FindUnknownIsNullopt) {
  EXPECT_EQ(Must(store_->subscriptions().Find(NewId())), std::nullopt);
}

TEST_P(SubscriptionConformanceTest, FindAcceptsAnyUuidSpellingAndAnswersCanonically) {
  Subscription s = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  std::string upper_dashless = UuidHex(s.uuid);
  std::transform(upper_dashless.begin(), upper_dashless.end(), upper_dashless.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto found = Must(store_->subscriptions().Find(upper_dashless));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->uuid, s.uuid);
}

TEST_P(SubscriptionConformanceTest, FindMalformedUuidIsInvalidArgument) {
  EXPECT_EQ(store_->subscriptions().Find("not-a-uuid").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(SubscriptionConformanceTest, ListForUserKeepsInsertionOrderAndSkipsDeletedAndOthers) {
  Subscription a = MakeSubscription("johndoe", T0() + seconds(5));
  Subscription other = MakeSubscription("janedoe", T0());
  Subscription deleted = MakeSubscription("johndoe", T0());
  deleted.deleted = T0();
  Subscription disabled = MakeSubscription("johndoe", T0());
  disabled.disabled = T0();
  Subscription b = MakeSubscription("johndoe", T0());
  for (const auto* s : {&a, &other, &deleted, &disabled, &b}) {
    PN_ASSERT_OK(store_->subscriptions().Insert(*s));
  }
  EXPECT_EQ(Uuids(Must(store_->subscriptions().ListForUser("johndoe"))),
            (std::vector<std::string>{a.uuid, disabled.uuid, b.uuid}));
  EXPECT_TRUE(Must(store_->subscriptions().ListForUser("nobody")).empty());
}

TEST_P(SubscriptionConformanceTest, ListActiveSkipsDisabledAndDeleted) {
  Subscription a = MakeSubscription("johndoe", T0());
  Subscription deleted = MakeSubscription("johndoe", T0());
  deleted.deleted = T0();
  Subscription disabled = MakeSubscription("janedoe", T0());
  disabled.disabled = T0();
  Subscription b = MakeSubscription("janedoe", T0());
  for (const auto* s : {&a, &deleted, &disabled, &b}) {
    PN_ASSERT_OK(store_->subscriptions().Insert(*s));
  }
  EXPECT_EQ(Uuids(Must(store_->subscriptions().ListActive())),
            (std::vector<std::string>{a.uuid, b.uuid}));
}

TEST_P(SubscriptionConformanceTest, CountDisabledCountsDisabledRowsThatAreNotDeleted) {
  EXPECT_EQ(Must(store_->subscriptions().CountDisabled()), 0);
  Subscription active = MakeSubscription("johndoe", T0());
  Subscription disabled = MakeSubscription("johndoe", T0());
  disabled.disabled = T0();
  Subscription disabled_deleted = MakeSubscription("janedoe", T0());
  disabled_deleted.disabled = T0();
  disabled_deleted.deleted = T0() + seconds(1);
  Subscription deleted = MakeSubscription("janedoe", T0());
  deleted.deleted = T0();
  Subscription later = MakeSubscription("janedoe", T0());
  for (const auto* s : {&active, &disabled, &disabled_deleted, &deleted, &later}) {
    PN_ASSERT_OK(store_->subscriptions().Insert(*s));
  }
  EXPECT_EQ(Must(store_->subscriptions().CountDisabled()), 1);
  PN_ASSERT_OK(store_->subscriptions().Disable(later.uuid, T0() + seconds(2), "gone"));
  EXPECT_EQ(Must(store_->subscriptions().CountDisabled()), 2);
}

TEST_P(SubscriptionConformanceTest, UpdateReplacesTheRow) {
  Subscription s = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  s.name = "renamed";
  s.jsonpath = "$.data";
  s.target_url = "https://example.org/hook";
  s.auth = Json::object();
  s.extensions = Json::parse(R"({"x": 1})");
  s.updated = T0() + seconds(60);
  PN_ASSERT_OK(store_->subscriptions().Update(s));
  auto found = Must(store_->subscriptions().Find(s.uuid));
  ASSERT_TRUE(found.has_value());
  ExpectSame(*found, s);
}

TEST_P(SubscriptionConformanceTest, UpdateUnknownIsNotFound) {
  EXPECT_EQ(store_->subscriptions().Update(MakeSubscription("johndoe", T0())).code(),
            StatusCode::kNotFound);
}

TEST_P(SubscriptionConformanceTest, DisableSetsDisabledAndError) {
  Subscription s = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  PN_ASSERT_OK(store_->subscriptions().Disable(s.uuid, T0() + seconds(9), "410 Gone"));
  auto found = Must(store_->subscriptions().Find(s.uuid));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->disabled, T0() + seconds(9));
  EXPECT_EQ(found->error, "410 Gone");
  EXPECT_TRUE(Must(store_->subscriptions().ListActive()).empty());
}

TEST_P(SubscriptionConformanceTest, DisableKeepsTheFirstDisable) {
  Subscription s = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  PN_ASSERT_OK(store_->subscriptions().Disable(s.uuid, T0() + seconds(1), "first"));
  PN_ASSERT_OK(store_->subscriptions().Disable(s.uuid, T0() + seconds(2), "second"));
  auto found = Must(store_->subscriptions().Find(s.uuid));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->disabled, T0() + seconds(1));
  EXPECT_EQ(found->error, "first");
}

TEST_P(SubscriptionConformanceTest, DisableLeavesDeletedRowsAlone) {
  Subscription s = MakeSubscription("johndoe", T0());
  s.deleted = T0();
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  PN_ASSERT_OK(store_->subscriptions().Disable(s.uuid, T0() + seconds(1), "late"));
  auto found = Must(store_->subscriptions().Find(s.uuid));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->disabled, std::nullopt);
  EXPECT_EQ(found->error, std::nullopt);
}

TEST_P(SubscriptionConformanceTest, DisableUnknownIsNotFound) {
  EXPECT_EQ(store_->subscriptions().Disable(NewId(), T0(), "x").code(), StatusCode::kNotFound);
}

TEST_P(SubscriptionConformanceTest, ChangeVersionGrowsOnInsertUpdateAndDisable) {
  SubscriptionStore& subs = store_->subscriptions();
  const int64_t v0 = Must(subs.ChangeVersion());
  Subscription s = MakeSubscription("johndoe", T0());
  PN_ASSERT_OK(subs.Insert(s));
  const int64_t v1 = Must(subs.ChangeVersion());
  EXPECT_GT(v1, v0);
  s.name = "changed";
  PN_ASSERT_OK(subs.Update(s));
  const int64_t v2 = Must(subs.ChangeVersion());
  EXPECT_GT(v2, v1);
  PN_ASSERT_OK(subs.Disable(s.uuid, T0(), "gone"));
  const int64_t v3 = Must(subs.ChangeVersion());
  EXPECT_GT(v3, v2);
  EXPECT_EQ(Must(subs.ChangeVersion()), v3);  // reading changes nothing
}

TEST_P(SubscriptionConformanceTest, WaitForChangeReturnsAtOnceWhenAlreadyChanged) {
  const int64_t v0 = Must(store_->subscriptions().ChangeVersion());
  PN_ASSERT_OK(store_->subscriptions().Insert(MakeSubscription("johndoe", T0())));
  Status s = store_->subscriptions().WaitForChange(v0, std::chrono::hours(1));
  if (s.code() == StatusCode::kUnimplemented) GTEST_SKIP() << "backend has no notifications";
  PN_EXPECT_OK(s);
}

TEST_P(SubscriptionConformanceTest, WaitForChangeTimesOutWithoutChange) {
  const int64_t v0 = Must(store_->subscriptions().ChangeVersion());
  Status s = store_->subscriptions().WaitForChange(v0, Duration(0));
  if (s.code() == StatusCode::kUnimplemented) GTEST_SKIP() << "backend has no notifications";
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
}

TEST_P(SubscriptionConformanceTest, WaitForChangeWakesOnAChangeFromAnotherThread) {
  const int64_t v0 = Must(store_->subscriptions().ChangeVersion());
  Subscription s = MakeSubscription("johndoe", T0());
  std::thread writer([&] { (void)store_->subscriptions().Insert(s); });
  Status waited = store_->subscriptions().WaitForChange(v0, std::chrono::minutes(5));
  writer.join();
  if (waited.code() == StatusCode::kUnimplemented) GTEST_SKIP() << "backend has no notifications";
  PN_EXPECT_OK(waited);
  EXPECT_GT(Must(store_->subscriptions().ChangeVersion()), v0);
}

}  // namespace
}  // namespace pn::testing
