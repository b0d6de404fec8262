// Opening the configured database: backend choice, connect retries, the server's schema rule.
#include "app/open_store.h"

#include <gtest/gtest.h>

#include "store/testing/store_conformance.h"
#include "tests/store/legacy_layouts.h"
#include "tests/store/sqlite_test_util.h"

namespace pn::testing {
namespace {

using std::chrono::seconds;

DatabaseUrl SqliteUrl(const std::string& path) { return *ParseDatabaseUrl("sqlite:///" + path); }

TEST(OpenStoreTest, SqliteUrlOpensAWorkingStore) {
  auto store = OpenStore(SqliteUrl(NewDatabasePath()));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  PN_EXPECT_OK((*store)->Ping());
}

TEST(OpenStoreTest, UnreachablePostgresIsUnavailableWithoutShowingThePassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto store = OpenStore(*ParseDatabaseUrl("postgres://u:secret@127.0.0.1:1/pn"));
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("postgres://u:****@127.0.0.1:1/pn"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(store.status().message().find("secret"), std::string::npos)
      << store.status().message();
}

TEST(OpenStoreTest, OptionsComeFromTheDatabaseSection) {
  Config config;
  config.connect_attempts = 3;
  config.connect_wait = seconds(7);
  OpenStoreOptions options = OpenStoreOptionsFrom(config);
  EXPECT_EQ(options.connect_attempts, 3);
  EXPECT_EQ(options.connect_wait, seconds(7));
}

TEST(ConnectWithRetryTest, RetriesUnavailableWaitingBetweenAttempts) {
  int calls = 0;
  std::vector<Duration> waits;
  auto store = ConnectWithRetry(
      5, seconds(20), [&](Duration d) { waits.push_back(d); },
      [&]() -> Result<std::unique_ptr<Store>> {
        if (++calls < 3) return UnavailableError("database is locked");
        return OpenSqliteStore(":memory:");
      });
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(waits, (std::vector<Duration>{seconds(20), seconds(20)}));
}

TEST(ConnectWithRetryTest, GivesUpAfterTheLastAttemptNamingTheCount) {
  int calls = 0;
  std::vector<Duration> waits;
  auto store = ConnectWithRetry(
      3, seconds(1), [&](Duration d) { waits.push_back(d); },
      [&]() -> Result<std::unique_ptr<Store>> {
        ++calls;
        return UnavailableError("database is locked");
      });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(waits.size(), 2u);
  EXPECT_EQ(store.status(), UnavailableError("could not connect to the database after 3 "
                                             "attempts: database is locked"));
}

TEST(ConnectWithRetryTest, OtherErrorsAreFinalAtOnce) {
  int calls = 0;
  auto store = ConnectWithRetry(
      10, seconds(1), [](Duration) {},
      [&]() -> Result<std::unique_ptr<Store>> {
        ++calls;
        return FailedPreconditionError("file is not a database");
      });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(store.status(), FailedPreconditionError("file is not a database"));
}

class PrepareSchemaForServingTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(const std::string& sql) {
    const std::string path = NewDatabasePath();
    RawExec(path, sql);
    return Must(OpenSqliteStore(path));
  }
};

TEST_F(PrepareSchemaForServingTest, EmptyDatabaseGetsTheSchema) {
  auto store = Open("");
  PN_ASSERT_OK(PrepareSchemaForServing(*store));
  EXPECT_EQ(Must(store->schema().Version()), kCurrentSchema);
}

TEST_F(PrepareSchemaForServingTest, CurrentDatabaseIsAccepted) {
  auto store = Open("");
  PN_ASSERT_OK(store->schema().Sync());
  PN_EXPECT_OK(PrepareSchemaForServing(*store));
}

TEST_F(PrepareSchemaForServingTest, OldDatabaseIsRefusedNamingDbsync) {
  auto store = Open(legacy::Schema30());
  EXPECT_EQ(PrepareSchemaForServing(*store),
            FailedPreconditionError("the database schema is version 3.0, this program needs 4.0; "
                                    "run `pacifica-notifications-cmd dbsync` to upgrade it"));
  EXPECT_EQ(Must(store->schema().Version()), (SchemaVersion{3, 0}));  // untouched
}

TEST_F(PrepareSchemaForServingTest, NewerDatabaseIsRefused) {
  auto store = Open(legacy::Schema30() + "UPDATE notificationsystem SET value = 5 WHERE part = "
                                         "'major';");
  EXPECT_EQ(PrepareSchemaForServing(*store),
            FailedPreconditionError("the database schema is version 5.0, newer than this program "
                                    "understands (4.0); use a newer release"));
}

}  // namespace
}  // namespace pn::testing
