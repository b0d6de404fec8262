// pacifica-notifications-cmd run in-process: global options, usage errors, dbchk and dbsync.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cmd_app.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/store/legacy_layouts.h"
#include "tests/store/sqlite_test_util.h"

namespace pn::cli {
namespace {

namespace legacy = ::pn::testing::legacy;
using ::pn::testing::NewDatabasePath;
using ::pn::testing::RawExec;
using ::pn::testing::ScratchDir;

class CmdSchemaTest : public ::testing::Test {
 protected:
  // Runs the program with a config naming `db_path`; returns the exit status.
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    CmdContext ctx({}, in_, out_, err_, clock_, random_);
    ctx.sleep = [](Duration) {};
    return RunAdminCommand(args, ctx);
  }
  std::string ConfigFor(const std::string& db_path) {
    const std::string path = db_path + ".ini";
    std::ofstream(path) << "[database]\npeewee_url = sqlite:///" << db_path << "\n";
    return path;
  }

  std::istringstream in_;
  std::ostringstream out_, err_;
  ManualClock clock_{Timestamp{}};
  SeededRandom random_{1};
};

TEST_F(CmdSchemaTest, NoSubcommandPrintsHelpAndSucceeds) {
  EXPECT_EQ(Run({}), 0);
  EXPECT_NE(out_.str().find("dbchk"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("dbsync"), std::string::npos);
}

TEST_F(CmdSchemaTest, HelpExplainsTheOptions) {
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_NE(out_.str().find("-c,--config CONFIG"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"dbchk", "--help"}), 0);
  EXPECT_NE(out_.str().find("--equal"), std::string::npos) << out_.str();
}

TEST_F(CmdSchemaTest, UnknownOptionIsAUsageError) {
  EXPECT_EQ(Run({"dbchk", "--bogus"}), 2);
  EXPECT_NE(err_.str().find("--bogus"), std::string::npos) << err_.str();
}

TEST_F(CmdSchemaTest, UnknownSubcommandIsAUsageError) {
  EXPECT_EQ(Run({"frobnicate"}), 2);
}

TEST_F(CmdSchemaTest, DbsyncCreatesTheSchemaThenDbchkPasses) {
  const std::string config = ConfigFor(NewDatabasePath());
  EXPECT_EQ(Run({"-c", config, "dbsync"}), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(Run({"-c", config, "dbchk"}), 0);
  EXPECT_EQ(Run({"--config", config, "dbchk", "--equal"}), 0);
  EXPECT_EQ(Run({"-c", config, "dbsync"}), 0);  // again: a no-op
}

TEST_F(CmdSchemaTest, DbchkOnAMissingDatabaseIsNegativeAndCreatesNothing) {
  const std::string db = NewDatabasePath();
  EXPECT_EQ(Run({"-c", ConfigFor(db), "dbchk"}), 255);
  EXPECT_EQ(err_.str(), "dbchk: no database at " + db + " (schema 0.0); run dbsync to create it\n");
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST_F(CmdSchemaTest, DbchkOnTheOriginalsSchemaIsNegativeWithAnExplanation) {
  const std::string db = NewDatabasePath();
  RawExec(db, legacy::Schema30());
  EXPECT_EQ(Run({"-c", ConfigFor(db), "dbchk"}), 255);
  EXPECT_EQ(err_.str(), "dbchk: the database schema is 3.0, not 4.x; run dbsync to upgrade it\n");
  EXPECT_EQ(Run({"-c", ConfigFor(db), "dbchk", "--equal"}), 255);
  EXPECT_EQ(err_.str(),
            "dbchk: the database schema is 3.0, not exactly 4.0; run dbsync to upgrade it\n");
}

TEST_F(CmdSchemaTest, DbchkEqualDistinguishesMinorVersions) {
  const std::string db = NewDatabasePath();
  const std::string config = ConfigFor(db);
  ASSERT_EQ(Run({"-c", config, "dbsync"}), 0);
  RawExec(db, "UPDATE notificationsystem SET value = 1 WHERE part = 'minor';");
  EXPECT_EQ(Run({"-c", config, "dbchk"}), 0);
  EXPECT_EQ(Run({"-c", config, "dbchk", "--equal"}), 255);
}

TEST_F(CmdSchemaTest, DbsyncRefusesAnUnknownVersion) {
  const std::string db = NewDatabasePath();
  RawExec(db, legacy::Schema30() + "UPDATE notificationsystem SET value = 1 WHERE part = 'minor';");
  EXPECT_EQ(Run({"-c", ConfigFor(db), "dbsync"}), 1);
  EXPECT_EQ(err_.str(),
            "dbsync: the database has schema version 3.1, which this program does not know (it "
            "knows 0.0, 1.0, 2.0, 3.0 and 4.0); refusing to migrate it\n");
}

TEST_F(CmdSchemaTest, ABadConfigurationIsAnError) {
  const std::string config = (ScratchDir() / "bad.ini").string();
  std::ofstream(config) << "[database]\npeewee_url = mysql://x/y\n";
  EXPECT_EQ(Run({"-c", config, "dbsync"}), 1);
  EXPECT_EQ(err_.str(), "dbsync: invalid configuration (1 problem):\n  " + config +
                            ":2: [database] peewee_url: database URL 'mysql://x/y': unsupported "
                            "scheme 'mysql' (expected sqlite, sqliteext, postgres or postgresql)\n");
}

TEST_F(CmdSchemaTest, UnreachablePostgresFailsNamingItWithoutThePassword) {
  const std::string config = (ScratchDir() / "pg.ini").string();
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  std::ofstream(config) << "[database]\npeewee_url = postgres://u:secretpw@127.0.0.1:1/pn\n"
                        << "connect_attempts = 1\nconnect_wait = 0\n";
  EXPECT_EQ(Run({"-c", config, "dbsync"}), 1);
  EXPECT_NE(err_.str().find("could not connect to PostgreSQL"), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find("secretpw"), std::string::npos) << err_.str();
}

TEST_F(CmdSchemaTest, JsonpathSubcommandIsWired) {
  in_.str(R"({"data": [1, 2.0]})");
  EXPECT_EQ(Run({"jsonpath", "$.data[1]"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("2.0"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"jsonpath", "$[", "/dev/null"}), 2);
}

}  // namespace
}  // namespace pn::cli
