// SQLite specifics: the on-disk layout we write, WAL, and errors opening a database.
#include <gtest/gtest.h>

#include <fstream>

#include "common/time_format.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/store_conformance.h"
#include "tests/store/sqlite_test_util.h"

namespace pn::testing {
namespace {

Timestamp At(const char* text) { return *ParseTimestamp(text); }

std::unique_ptr<Store> OpenSynced(const std::string& path) {
  auto store = OpenSqliteStore(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return nullptr;
  Status s = (*store)->schema().Sync();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(*store);
}

TEST(SqliteStoreTest, WritesUuidsWithoutDashesAndTimesAsTheOriginalDid) {
  const std::string path = NewDatabasePath();
  auto store = OpenSynced(path);
  ASSERT_NE(store, nullptr);
  Subscription s;
  s.uuid = "c2ddb9f9-20d6-4864-8750-2749a1dd1213";
  s.name = "n";
  s.jsonpath = "$";
  s.user = "u";
  s.target_url = "http://x/";
  s.extensions = Json::parse(R"({"é": 1.0})");
  s.created = At("2026-11-29 05:50:17.807933");
  s.updated = At("2026-11-29 05:50:17");
  PN_ASSERT_OK(store->subscriptions().Insert(s));
  EXPECT_EQ(RawQuery(path, "SELECT uuid FROM eventmatch"), "c2ddb9f920d6486487502749a1dd1213");
  EXPECT_EQ(RawQuery(path, "SELECT created FROM eventmatch"), "2026-11-29 05:50:17.807933");
  EXPECT_EQ(RawQuery(path, "SELECT updated FROM eventmatch"), "2026-11-29 05:50:17");
  EXPECT_EQ(RawQuery(path, "SELECT extensions FROM eventmatch"), R"({"\u00e9": 1.0})");
  EXPECT_EQ(RawQuery(path, "SELECT auth FROM eventmatch"), "{}");
}

TEST(SqliteStoreTest, FileDatabaseRunsInWalMode) {
  const std::string path = NewDatabasePath();
  auto store = OpenSynced(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawQuery(path, "PRAGMA journal_mode"), "wal");
}

TEST(SqliteStoreTest, RowsStoredWithDashesAreFoundAndAnsweredCanonically) {
  const std::string path = NewDatabasePath();
  {
    auto store = OpenSynced(path);
    ASSERT_NE(store, nullptr);
  }
  RawExec(path,
          "INSERT INTO eventmatch VALUES ('C2DDB9F9-20D6-4864-8750-2749A1DD1213', 'n', '$', 'u', "
          "NULL, NULL, 'http://x/', 'v0.1', '{}', NULL, '2020-01-01 00:00:00', "
          "'2020-01-01 00:00:00', NULL);");
  auto store = OpenSynced(path);
  ASSERT_NE(store, nullptr);
  auto listed = Must(store->subscriptions().ListForUser("u"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].uuid, "c2ddb9f9-20d6-4864-8750-2749a1dd1213");
}

TEST(SqliteStoreTest, NotADatabaseIsFailedPrecondition) {
  const std::string path = NewDatabasePath();
  std::ofstream(path) << "this is not an SQLite database, just some text long enough to matter"
                         "................................................................";
  auto store = OpenSqliteStore(path);
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition) << store.status().ToString();
}

TEST(SqliteStoreTest, MissingDirectoryIsFailedPrecondition) {
  const std::string path = (ScratchDir() / "no" / "such" / "dir" / "x.db").string();
  auto store = OpenSqliteStore(path);
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find(path), std::string::npos) << store.status().message();
}

TEST(SqliteStoreTest, WithoutCreateAMissingFileIsNotCreated) {
  const std::string path = NewDatabasePath();
  SqliteOptions options;
  options.create = false;
  EXPECT_EQ(OpenSqliteStore(path, options).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SqliteStoreTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  const std::string path = NewDatabasePath();
  auto a = OpenSynced(path);
  auto b = OpenSynced(path);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const int64_t before = Must(b->subscriptions().ChangeVersion());
  Subscription s;
  s.uuid = "c2ddb9f9-20d6-4864-8750-2749a1dd1213";
  s.name = "n";
  s.jsonpath = "$";
  s.user = "u";
  s.target_url = "http://x/";
  s.created = s.updated = At("2026-01-01 00:00:00");
  PN_ASSERT_OK(a->subscriptions().Insert(s));
  EXPECT_GT(Must(b->subscriptions().ChangeVersion()), before);
  EXPECT_TRUE(Must(b->subscriptions().Find(s.uuid)).has_value());
}

}  // namespace
}  // namespace pn::testing
