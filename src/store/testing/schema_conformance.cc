// Conformance: SchemaManager on a fresh database, and Ping.
#include "store/testing/store_conformance.h"

namespace pn::testing {
namespace {

TEST_P(StoreSchemaConformanceTest, FreshDatabaseIsEmptyAtVersionZero) {
  EXPECT_TRUE(Must(store_->schema().IsEmpty()));
  EXPECT_EQ(Must(store_->schema().Version()), (SchemaVersion{0, 0}));
}

TEST_P(StoreSchemaConformanceTest, SyncCreatesTheCurrentSchema) {
  PN_ASSERT_OK(store_->schema().Sync());
  EXPECT_FALSE(Must(store_->schema().IsEmpty()));
  EXPECT_EQ(Must(store_->schema().Version()), kCurrentSchema);
}

TEST_P(StoreSchemaConformanceTest, SyncOnCurrentSchemaKeepsData) {
  PN_ASSERT_OK(store_->schema().Sync());
  Subscription s;
  s.uuid = "c2ddb9f9-20d6-4864-8750-2749a1dd1213";
  s.name = "n";
  s.jsonpath = "$";
  s.user = "u";
  s.target_url = "http://x/";
  s.created = s.updated = T0();
  PN_ASSERT_OK(store_->subscriptions().Insert(s));
  PN_ASSERT_OK(store_->schema().Sync());
  EXPECT_EQ(Must(store_->schema().Version()), kCurrentSchema);
  EXPECT_TRUE(Must(store_->subscriptions().Find(s.uuid)).has_value());
}

TEST_P(StoreSchemaConformanceTest, PingAnswers) { PN_EXPECT_OK(store_->Ping()); }

}  // namespace
}  // namespace pn::testing
