// Upgrading databases the Python original left on PostgreSQL (schema 0.0-3.0: native UUID,
// TIMESTAMP, VARCHAR(255), quoted "user"; peewee 3.14's DDL) to ours in place, and reading
// every old row back through the Store.
#include <gtest/gtest.h>

#include <thread>

#include "common/time_format.h"
#include "store/testing/store_conformance.h"
#include "tests/store/pg_legacy_layouts.h"
#include "tests/store/pg_test_util.h"

namespace pn::testing {
namespace {

Timestamp At(const char* text) { return *ParseTimestamp(text); }

using namespace pg_legacy;  // NOLINT: the layouts read as a table

class PostgresMigrationTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> OpenWith(const std::string& sql) {
    auto cluster = PgCluster::Shared();
    EXPECT_TRUE(cluster.ok()) << cluster.status().ToString();
    if (!cluster.ok()) return nullptr;
    cluster_ = *cluster;
    auto db = cluster_->CreateDatabase();
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return nullptr;
    db_ = *db;
    if (!sql.empty()) {
      Status setup = cluster_->Exec(db_, sql);
      EXPECT_TRUE(setup.ok()) << setup.ToString();
    }
    auto store = OpenPostgresStore(OptionsFor(*cluster_, db_));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // What every layout must read back after Sync(), whatever it started from.
  void ExpectSubscriptionsReadBack(Store& store, bool has_auth) {
    auto john = Must(store.subscriptions().Find(kJohn));
    ASSERT_TRUE(john.has_value());
    EXPECT_EQ(john->uuid, kJohn);
    EXPECT_EQ(john->name, "john's");
    EXPECT_EQ(john->jsonpath, "$[\"data\"]");
    EXPECT_EQ(john->user, "johndoe");
    EXPECT_EQ(john->target_url, "http://127.0.0.1:8080/receive");
    EXPECT_EQ(john->version, "v0.1");
    EXPECT_EQ(john->extensions, Json::object());
    EXPECT_EQ(john->auth, has_auth ? Json::parse(R"({"type": "basic", "basic": {"username": "u",
                                                    "password": "p"}})")
                                   : Json::object());
    EXPECT_EQ(john->created, At("2020-04-01 10:00:00.123456"));
    EXPECT_EQ(john->disabled, std::nullopt);
    EXPECT_EQ(john->deleted, std::nullopt);

    auto jane = Must(store.subscriptions().Find("0A1B2C3D4E5F40718293A4B5C6D7E8F9"));
    ASSERT_TRUE(jane.has_value());
    EXPECT_EQ(jane->uuid, kJane);
    EXPECT_EQ(jane->auth, Json::object());  // NULL auth reads as {}
    EXPECT_EQ(jane->extensions, Json::parse(R"({"a": "b"})"));
    EXPECT_EQ(jane->disabled, At("2020-04-02 11:00:00"));
    EXPECT_EQ(jane->error, "Policy service returned 500");

    auto gone = Must(store.subscriptions().Find(kGone));
    ASSERT_TRUE(gone.has_value());
    EXPECT_EQ(gone->created, At("2020-04-01 10:00:02.500000"));
    EXPECT_EQ(gone->deleted, At("2020-04-03 09:00:00.000001"));

    auto johns = Must(store.subscriptions().ListForUser("johndoe"));
    ASSERT_EQ(johns.size(), 1u);
    EXPECT_EQ(johns[0].uuid, kJohn);
    auto active = Must(store.subscriptions().ListActive());
    ASSERT_EQ(active.size(), 1u);
    EXPECT_EQ(active[0].uuid, kJohn);
  }

  PgCluster* cluster_ = nullptr;
  std::string db_;
};

TEST_F(PostgresMigrationTest, Schema30FromTheOriginalUpgradesInPlace) {
  auto store = OpenWith(Schema30());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{3, 0}));
  EXPECT_FALSE(Must(store->schema().IsEmpty()));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/true);

  auto event = Must(store->events().FindEvent(kEvent));
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->jsondata, R"({"k": 2})");
  EXPECT_EQ(event->created, At("2020-04-05 05:51:30.964940"));
  EXPECT_EQ(Must(store->events().ListEvents(At("2020-04-05 00:00:00"), At("2020-04-06 00:00:00"),
                                            10))
                .size(),
            1u);

  auto deliveries = Must(store->events().DeliveriesForEvent(kEvent));
  ASSERT_EQ(deliveries.size(), 3u);
  EXPECT_EQ(deliveries[0].uuid, "fde19ad9-f90f-4d2e-a1be-b14223fae88c");
  EXPECT_EQ(deliveries[0].subscription_uuid, kJohn);
  EXPECT_EQ(deliveries[0].event_uuid, kEvent);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kDelivered);
  EXPECT_EQ(deliveries[0].attempts, 1);
  EXPECT_EQ(deliveries[0].policy_status_code, "200");
  EXPECT_EQ(deliveries[0].policy_resp_body, R"({"status": "ok"})");
  EXPECT_EQ(deliveries[0].target_status_code, "200");
  EXPECT_EQ(deliveries[0].target_resp_body, "thanks");
  EXPECT_EQ(deliveries[0].created, At("2020-04-05 05:51:30.97"));
  EXPECT_EQ(deliveries[0].updated, deliveries[0].created);
  EXPECT_EQ(deliveries[1].uuid, "11111111-2222-4333-8444-555566667777");
  EXPECT_EQ(deliveries[1].state, DeliveryState::kFailed);
  EXPECT_EQ(deliveries[1].attempts, 1);
  EXPECT_EQ(deliveries[1].policy_status_code, "500");
  EXPECT_EQ(deliveries[1].policy_resp_body, "oops");
  EXPECT_EQ(deliveries[2].uuid, "aaaaaaaa-bbbb-4ccc-bddd-eeeeeeeeeeee");
  EXPECT_EQ(deliveries[2].state, DeliveryState::kFailed);
  EXPECT_EQ(deliveries[2].attempts, 0);

  // History is never delivered again.
  EXPECT_TRUE(Must(store->deliveries().ClaimDue(At("2030-01-01 00:00:00"), 10, "w",
                                                At("2030-01-01 00:01:00")))
                  .empty());
  EXPECT_EQ(Must(store->deliveries().CountPending()), 0);
  EXPECT_EQ(Must(store->deliveries().NextDueAt()), std::nullopt);
}

TEST_F(PostgresMigrationTest, UpgradedDatabaseTakesNewRowsAndCountsChanges) {
  auto store = OpenWith(Schema30());
  ASSERT_NE(store, nullptr);
  PN_ASSERT_OK(store->schema().Sync());
  const int64_t before = Must(store->subscriptions().ChangeVersion());
  PN_ASSERT_OK(store->subscriptions().Disable(kJohn, At("2030-01-01 00:00:00"), "x"));
  EXPECT_GT(Must(store->subscriptions().ChangeVersion()), before);
  Delivery d;
  d.uuid = "99999999-8888-4777-8666-555555555555";
  d.event_uuid = kEvent;
  d.subscription_uuid = kJane;
  d.next_attempt_at = d.created = d.updated = At("2030-01-01 00:00:00");
  const Delivery more[] = {d};
  PN_ASSERT_OK(store->events().AddDeliveries(more));
  auto deliveries = Must(store->events().DeliveriesForEvent(kEvent));
  ASSERT_EQ(deliveries.size(), 4u);
  EXPECT_EQ(deliveries[3].uuid, d.uuid);
  EXPECT_EQ(deliveries[3].state, DeliveryState::kPending);
  EXPECT_EQ(Must(store->deliveries().CountPending()), 1);
}

TEST_F(PostgresMigrationTest, Schema20UpgradesInPlace) {
  auto store = OpenWith(Schema20());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{2, 0}));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/true);
  EXPECT_EQ(Must(store->deliveries().CountPending()), 0);
}

TEST_F(PostgresMigrationTest, Schema10UpgradesInPlaceWithNullAuth) {
  auto store = OpenWith(Schema10());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{1, 0}));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/false);
}

TEST_F(PostgresMigrationTest, Schema00WithoutVersionTableUpgradesInPlace) {
  auto store = OpenWith(Schema00());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{0, 0}));
  EXPECT_FALSE(Must(store->schema().IsEmpty()));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/false);
}

TEST_F(PostgresMigrationTest, UnknownVersionIsRefusedAndLeftAlone) {
  auto store = OpenWith(Schema30() + "UPDATE \"notificationsystem\" SET \"value\" = 1 WHERE "
                                     "\"part\" = 'minor';");
  ASSERT_NE(store, nullptr);
  Status synced = store->schema().Sync();
  EXPECT_EQ(synced.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(synced.message().find("3.1"), std::string::npos) << synced.message();
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{3, 1}));
}

TEST_F(PostgresMigrationTest, MissingVersionRowIsFailedPrecondition) {
  auto store = OpenWith(Schema30() + "DELETE FROM \"notificationsystem\" WHERE \"part\" = "
                                     "'minor';");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema().Version().status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(PostgresMigrationTest, FailedMigrationRollsBackEverything) {
  // A 3.0 database whose eventlogmatch already has a column 4.0 adds: the step fails, and
  // nothing of the earlier statements of the migration may remain.
  auto store = OpenWith(Schema30() + "ALTER TABLE \"eventlogmatch\" ADD COLUMN \"state\" TEXT;");
  ASSERT_NE(store, nullptr);
  Status synced = store->schema().Sync();
  EXPECT_EQ(synced.code(), StatusCode::kInternal);
  EXPECT_NE(synced.message().find("migrating the schema from 3.0"), std::string::npos)
      << synced.message();
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{3, 0}));
  Status probe = cluster_->Exec(db_, "SELECT \"seq\" FROM \"eventmatch\"");
  EXPECT_EQ(probe.code(), StatusCode::kInternal) << "the seq column survived the rollback";
}

TEST_F(PostgresMigrationTest, ProcessesSyncingAtOnceMigrateOnce) {
  auto first = OpenWith("");
  ASSERT_NE(first, nullptr);
  auto second = OpenPostgresStore(OptionsFor(*cluster_, db_));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  Status a, b;
  std::thread other([&] { a = first->schema().Sync(); });
  b = (*second)->schema().Sync();
  other.join();
  PN_EXPECT_OK(a);
  PN_EXPECT_OK(b);
  EXPECT_EQ(Must((*second)->schema().Version()), kCurrentSchema);
}

TEST_F(PostgresMigrationTest, FreshSchemaUsesTheOriginalsNativeTypesAndIndexNames) {
  auto store = OpenWith("");
  ASSERT_NE(store, nullptr);
  PN_ASSERT_OK(store->schema().Sync());
  // Each check fails the SELECT (division by zero) when the catalog disagrees.
  const char* checks[] = {
      "eventmatch.uuid:uuid", "eventmatch.user:character varying",
      "eventmatch.created:timestamp without time zone", "eventlog.uuid:uuid",
      "eventlogmatch.event_log_id:uuid", "eventlogmatch.created:timestamp without time zone",
      "deliveryattempt.delivery_id:uuid"};
  for (const char* check : checks) {
    std::string text = check;
    const auto dot = text.find('.'), colon = text.find(':');
    const std::string table = text.substr(0, dot), column = text.substr(dot + 1, colon - dot - 1),
                      type = text.substr(colon + 1);
    PN_EXPECT_OK(cluster_->Exec(
        db_, "SELECT 1 / (SELECT count(*)::int FROM information_schema.columns WHERE "
             "table_name = '" + table + "' AND column_name = '" + column + "' AND data_type = '" +
                 type + "')"));
  }
  PN_EXPECT_OK(cluster_->Exec(db_, "SELECT 1 / (SELECT count(*)::int - 10 + 1 FROM pg_indexes "
                                   "WHERE indexname IN ('eventmatch_name', 'eventmatch_user', "
                                   "'eventmatch_disabled', 'eventmatch_created', "
                                   "'eventmatch_updated', 'eventmatch_deleted', "
                                   "'eventlog_created', 'eventlogmatch_event_log_id', "
                                   "'eventlogmatch_event_match_id', 'eventlogmatch_created'))"));
  PN_EXPECT_OK(cluster_->Exec(db_, "SELECT 1 / (SELECT count(*)::int FROM "
                                   "information_schema.columns WHERE table_name = 'eventmatch' "
                                   "AND column_name = 'user' AND character_maximum_length = 255)"));
}

}  // namespace
}  // namespace pn::testing
