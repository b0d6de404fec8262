// The built pacifica-notifications-cmd upgrading databases exactly as the Python original left
// them on SQLite (schema 0.0, 1.0, 2.0, 3.0): dbchk before, dbsync, dbchk after (exit codes as
// the original's), then every row read back through the Store.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "common/time_format.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/store/legacy_layouts.h"
#include "tests/store/sqlite_test_util.h"

namespace pn::testing {
namespace {

struct Layout {
  const char* name;
  std::string (*sql)();
  SchemaVersion version;
  bool has_auth;
  bool has_events;
};

void PrintTo(const Layout& l, std::ostream* os) { *os << l.name; }

class CmdUpgradeTest : public ::testing::TestWithParam<Layout> {
 protected:
  void SetUp() override {
    db_ = NewDatabasePath();
    RawExec(db_, GetParam().sql());
    config_ = db_ + ".ini";
    std::ofstream(config_) << "[database]\npeewee_url = sqlite:///" << db_ << "\n";
  }

  // Runs the binary; returns its exit status (stderr goes to stderr_path_).
  int Cmd(const std::string& args) {
    const std::string command = std::string(PN_BINARY_DIR) + "/pacifica-notifications-cmd -c '" +
                                config_ + "' " + args + " 2>'" + db_ + ".err'";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Stderr() {
    std::ifstream in(db_ + ".err");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string db_, config_;
};

TEST_P(CmdUpgradeTest, DbchkIsNegativeBeforeDbsyncAndPositiveAfter) {
  EXPECT_EQ(Cmd("dbchk"), 255);
  EXPECT_NE(Stderr().find("run dbsync"), std::string::npos) << Stderr();
  EXPECT_EQ(Cmd("dbchk --equal"), 255);
  EXPECT_EQ(Cmd("dbsync"), 0) << Stderr();
  EXPECT_EQ(Cmd("dbchk"), 0) << Stderr();
  EXPECT_EQ(Cmd("dbchk --equal"), 0) << Stderr();
  EXPECT_EQ(Cmd("dbsync"), 0) << Stderr();
}

TEST_P(CmdUpgradeTest, EveryRowReadsBackAfterDbsync) {
  ASSERT_EQ(Cmd("dbsync"), 0) << Stderr();
  auto opened = OpenSqliteStore(db_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  EXPECT_EQ(*store.schema().Version(), kCurrentSchema);

  auto john = store.subscriptions().Find(legacy::kJohnSub);
  ASSERT_TRUE(john.ok() && john->has_value()) << john.status().ToString();
  EXPECT_EQ((*john)->uuid, "7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d");
  EXPECT_EQ((*john)->created, *ParseTimestamp("2020-04-01 10:00:00.123456"));
  EXPECT_EQ((*john)->auth.empty(), !GetParam().has_auth);
  auto jane = store.subscriptions().Find("0A1B2C3D-4E5F-4071-8293-A4B5C6D7E8F9");
  ASSERT_TRUE(jane.ok() && jane->has_value());
  EXPECT_EQ((*jane)->auth, Json::object());
  EXPECT_EQ((*jane)->disabled, *ParseTimestamp("2020-04-02 11:00:00"));
  auto gone = store.subscriptions().Find(legacy::kGoneSub);
  ASSERT_TRUE(gone.ok() && gone->has_value());
  EXPECT_TRUE((*gone)->deleted.has_value());

  auto johns = store.subscriptions().ListForUser("johndoe");
  ASSERT_TRUE(johns.ok());
  ASSERT_EQ(johns->size(), 1u);
  auto janes = store.subscriptions().ListForUser("janedoe");
  ASSERT_TRUE(janes.ok());
  ASSERT_EQ(janes->size(), 1u);

  auto event = store.events().FindEvent(legacy::kEvent);
  ASSERT_TRUE(event.ok());
  auto deliveries = store.events().DeliveriesForEvent(legacy::kEvent);
  ASSERT_TRUE(deliveries.ok());
  if (!GetParam().has_events) {
    EXPECT_FALSE(event->has_value());
    EXPECT_TRUE(deliveries->empty());
    return;
  }
  ASSERT_TRUE(event->has_value());
  EXPECT_EQ((*event)->jsondata, R"({"k": 2})");
  ASSERT_EQ(deliveries->size(), 3u);
  EXPECT_EQ((*deliveries)[0].state, DeliveryState::kDelivered);
  EXPECT_EQ((*deliveries)[0].target_status_code, "200");
  EXPECT_EQ((*deliveries)[1].state, DeliveryState::kFailed);
  EXPECT_EQ((*deliveries)[2].state, DeliveryState::kFailed);
}

INSTANTIATE_TEST_SUITE_P(
    OriginalLayouts, CmdUpgradeTest,
    ::testing::Values(Layout{"Schema00", &legacy::Schema00, {0, 0}, false, false},
                      Layout{"Schema10", &legacy::Schema10, {1, 0}, false, false},
                      Layout{"Schema20", &legacy::Schema20, {2, 0}, true, false},
                      Layout{"Schema30", &legacy::Schema30, {3, 0}, true, true}),
    [](const ::testing::TestParamInfo<Layout>& info) { return std::string(info.param.name); });

TEST(CmdE2eTest, FreshDbsyncWorksOnSqlite) {
  const std::string db = NewDatabasePath();
  const std::string config = db + ".ini";
  std::ofstream(config) << "[database]\npeewee_url = sqliteext:///" << db << "\n";
  const std::string cmd = std::string(PN_BINARY_DIR) + "/pacifica-notifications-cmd -c '" + config;
  EXPECT_EQ(WEXITSTATUS(std::system((cmd + "' dbsync").c_str())), 0);
  EXPECT_EQ(WEXITSTATUS(std::system((cmd + "' dbchk --equal").c_str())), 0);
  EXPECT_EQ(RawQuery(db, "PRAGMA journal_mode"), "wal");
}

TEST(CmdE2eTest, UsageErrorExitsTwo) {
  const std::string cmd =
      std::string(PN_BINARY_DIR) + "/pacifica-notifications-cmd dbsync --nope 2>/dev/null";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2);
}

}  // namespace
}  // namespace pn::testing
