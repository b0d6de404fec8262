// Upgrading databases the Python original left on SQLite (schema 0.0-3.0) to ours, in place,
// and reading every old row back through the Store.
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/store_conformance.h"
#include "tests/store/legacy_layouts.h"
#include "tests/store/sqlite_test_util.h"

namespace pn::testing {
namespace {

namespace legacy = ::pn::testing::legacy;

Timestamp At(const char* text) { return *ParseTimestamp(text); }

class SqliteMigrationTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> OpenWith(const std::string& sql) {
    path_ = NewDatabasePath();
    RawExec(path_, sql);
    auto store = OpenSqliteStore(path_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // What every layout must read back after Sync(), whatever it started from.
  void ExpectSubscriptionsReadBack(Store& store, bool has_auth) {
    auto john = Must(store.subscriptions().Find("7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d"));
    ASSERT_TRUE(john.has_value());
    EXPECT_EQ(john->uuid, "7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d");
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

    auto jane = Must(store.subscriptions().Find(legacy::kJaneSub));  // dash-less lookup
    ASSERT_TRUE(jane.has_value());
    EXPECT_EQ(jane->uuid, "0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9");
    EXPECT_EQ(jane->auth, Json::object());  // NULL auth reads as {}
    EXPECT_EQ(jane->extensions, Json::parse(R"({"a": "b"})"));
    EXPECT_EQ(jane->disabled, At("2020-04-02 11:00:00"));  // no fraction
    EXPECT_EQ(jane->error, "Policy service returned 500");

    auto gone = Must(store.subscriptions().Find(legacy::kGoneSub));
    ASSERT_TRUE(gone.has_value());
    EXPECT_EQ(gone->created, At("2020-04-01 10:00:02.500000"));
    EXPECT_EQ(gone->deleted, At("2020-04-03 09:00:00.000001"));

    auto johns = Must(store.subscriptions().ListForUser("johndoe"));
    ASSERT_EQ(johns.size(), 1u);
    EXPECT_EQ(johns[0].uuid, john->uuid);
    auto active = Must(store.subscriptions().ListActive());
    ASSERT_EQ(active.size(), 1u);
    EXPECT_EQ(active[0].uuid, john->uuid);
  }

  std::string path_;
};

TEST_F(SqliteMigrationTest, Schema30FromTheOriginalUpgradesInPlace) {
  auto store = OpenWith(legacy::Schema30());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{3, 0}));
  EXPECT_FALSE(Must(store->schema().IsEmpty()));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/true);

  auto event = Must(store->events().FindEvent(legacy::kEvent));
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->uuid, "75be14fa-32b9-4816-a9bb-f0a19e09d36c");
  EXPECT_EQ(event->jsondata, R"({"k": 2})");
  EXPECT_EQ(event->created, At("2020-04-05 05:51:30.964940"));
  auto listed = Must(store->events().ListEvents(At("2020-04-05 00:00:00"),
                                                At("2020-04-06 00:00:00"), 10));
  ASSERT_EQ(listed.size(), 1u);

  auto deliveries = Must(store->events().DeliveriesForEvent(event->uuid));
  ASSERT_EQ(deliveries.size(), 3u);
  EXPECT_EQ(deliveries[0].uuid, "fde19ad9-f90f-4d2e-a1be-b14223fae88c");
  EXPECT_EQ(deliveries[0].subscription_uuid, "7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d");
  EXPECT_EQ(deliveries[0].event_uuid, event->uuid);
  EXPECT_EQ(deliveries[0].state, DeliveryState::kDelivered);
  EXPECT_EQ(deliveries[0].attempts, 1);
  EXPECT_EQ(deliveries[0].policy_status_code, "200");
  EXPECT_EQ(deliveries[0].policy_resp_body, R"({"status": "ok"})");
  EXPECT_EQ(deliveries[0].target_status_code, "200");
  EXPECT_EQ(deliveries[0].target_resp_body, "thanks");
  EXPECT_EQ(deliveries[0].created, At("2020-04-05 05:51:30.97"));
  EXPECT_EQ(deliveries[0].updated, deliveries[0].created);
  EXPECT_EQ(deliveries[1].state, DeliveryState::kFailed);
  EXPECT_EQ(deliveries[1].attempts, 1);
  EXPECT_EQ(deliveries[1].policy_status_code, "500");
  EXPECT_EQ(deliveries[2].state, DeliveryState::kFailed);
  EXPECT_EQ(deliveries[2].attempts, 0);

  // History is never delivered again.
  EXPECT_TRUE(Must(store->deliveries().ClaimDue(At("2030-01-01 00:00:00"), 10, "w",
                                                At("2030-01-01 00:01:00")))
                  .empty());
  EXPECT_EQ(Must(store->deliveries().CountPending()), 0);
  EXPECT_EQ(Must(store->deliveries().NextDueAt()), std::nullopt);
}

TEST_F(SqliteMigrationTest, UpgradedDatabaseTakesNewRows) {
  auto store = OpenWith(legacy::Schema30());
  ASSERT_NE(store, nullptr);
  PN_ASSERT_OK(store->schema().Sync());
  const int64_t before = Must(store->subscriptions().ChangeVersion());
  PN_ASSERT_OK(store->subscriptions().Disable(legacy::kJohnSub, At("2030-01-01 00:00:00"), "x"));
  EXPECT_GT(Must(store->subscriptions().ChangeVersion()), before);
  // Our rows use the original's layout too, so the original's tools could still read them.
  EXPECT_EQ(RawQuery(path_, "SELECT disabled FROM eventmatch WHERE uuid = '" +
                                std::string(legacy::kJohnSub) + "'"),
            "2030-01-01 00:00:00");
}

TEST_F(SqliteMigrationTest, Schema20GainsTheEventTables) {
  auto store = OpenWith(legacy::Schema20());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{2, 0}));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/true);
  EXPECT_EQ(Must(store->events().FindEvent(legacy::kEvent)), std::nullopt);
}

TEST_F(SqliteMigrationTest, Schema10GainsAuthAsNull) {
  auto store = OpenWith(legacy::Schema10());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{1, 0}));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/false);
  EXPECT_EQ(RawQuery(path_, "SELECT count(*) FROM eventmatch WHERE auth IS NULL"), "3");
}

TEST_F(SqliteMigrationTest, Schema00WithoutVersionTableUpgrades) {
  auto store = OpenWith(legacy::Schema00());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{0, 0}));
  EXPECT_FALSE(Must(store->schema().IsEmpty()));
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
  ExpectSubscriptionsReadBack(*store, /*has_auth=*/false);
}

TEST_F(SqliteMigrationTest, FreshDatabaseGetsTheOriginalTableLayout) {
  auto store = OpenWith("");
  ASSERT_NE(store, nullptr);
  PN_ASSERT_OK(store->schema().Sync());
  EXPECT_EQ(RawQuery(path_, "SELECT group_concat(name, ',') FROM pragma_table_info('eventmatch')"),
            "uuid,name,jsonpath,user,disabled,error,target_url,version,extensions,auth,created,"
            "updated,deleted");
  EXPECT_EQ(RawQuery(path_, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master "
                            "WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name)"),
            "eventlog_created,eventlogmatch_created,eventlogmatch_event_log_id,"
            "eventlogmatch_event_match_id,eventlogmatch_pending_due,eventmatch_created,"
            "eventmatch_deleted,eventmatch_disabled,eventmatch_name,eventmatch_updated,"
            "eventmatch_user");
  EXPECT_EQ(RawQuery(path_, "SELECT group_concat(part || '=' || value, ',') FROM "
                            "(SELECT * FROM notificationsystem ORDER BY part)"),
            "major=4,minor=0");
}

TEST_F(SqliteMigrationTest, UnknownVersionIsRefusedByName) {
  auto store = OpenWith(legacy::Schema30() + "UPDATE notificationsystem SET value = 1 WHERE part = 'minor';");
  ASSERT_NE(store, nullptr);
  Status s = store->schema().Sync();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "the database has schema version 3.1, which this program does not know (it knows "
            "0.0, 1.0, 2.0, 3.0 and 4.0); refusing to migrate it");
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{3, 1}));
}

TEST_F(SqliteMigrationTest, NewerVersionIsRefused) {
  auto store = OpenWith(legacy::Schema30() + "UPDATE notificationsystem SET value = 5 WHERE part = 'major';");
  ASSERT_NE(store, nullptr);
  Status s = store->schema().Sync();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("schema version 5.0"), std::string::npos) << s.message();
}

TEST_F(SqliteMigrationTest, MissingVersionRowIsReported) {
  auto store = OpenWith(legacy::Schema30() + "DELETE FROM notificationsystem WHERE part = 'minor';");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema().Version().status(),
            FailedPreconditionError("the notificationsystem table has no 'minor' row, so the "
                                    "schema version is unknown"));
}

TEST_F(SqliteMigrationTest, FailedMigrationLeavesTheDatabaseUntouched) {
  // A column in the way makes the 3.0 -> 4.0 step fail half-way.
  auto store = OpenWith(legacy::Schema30() +
                        "ALTER TABLE eventlogmatch ADD COLUMN \"updated\" DATETIME;");
  ASSERT_NE(store, nullptr);
  Status s = store->schema().Sync();
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  EXPECT_NE(s.message().find("migrating the schema from 3.0"), std::string::npos) << s.message();
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{3, 0}));
  EXPECT_EQ(RawQuery(path_, "SELECT count(*) FROM pragma_table_info('eventlogmatch') WHERE name "
                            "= 'state'"),
            "0");
  EXPECT_EQ(RawQuery(path_, "SELECT count(*) FROM sqlite_master WHERE name = 'deliveryattempt'"),
            "0");
}

}  // namespace
}  // namespace pn::testing
