// The built pacifica-notifications-cmd on PostgreSQL (peewee_url = postgres://...): dbchk and
// dbsync on a database exactly as the Python original left it at schema 3.0 (exit codes as the
// original's), then eventget and eventretry reading and writing through the PostgreSQL backend.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "store/testing/store_conformance.h"
#include "tests/store/pg_legacy_layouts.h"
#include "tests/support/pg_cluster.h"

namespace pn::testing {
namespace {

class CmdPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PgCluster::Shared();
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = *cluster;
    auto db = cluster_->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    PN_ASSERT_OK(cluster_->Exec(db_, pg_legacy::Schema30()));
    files_ = ::testing::TempDir() + "/" + db_;
    std::ofstream(files_ + ".ini") << "[database]\npeewee_url = " << cluster_->Url(db_)
                                   << "\nconnect_attempts = 1\n";
  }

  // Runs the binary; returns its exit status (stdout and stderr kept for Out()/Err()).
  int Cmd(const std::string& args) {
    const std::string command = std::string(PN_BINARY_DIR) + "/pacifica-notifications-cmd -c '" +
                                files_ + ".ini' " + args + " >'" + files_ + ".out' 2>'" +
                                files_ + ".err'";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Read(const char* suffix) {
    std::ifstream in(files_ + suffix);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string Out() { return Read(".out"); }
  std::string Err() { return Read(".err"); }

  PgCluster* cluster_ = nullptr;
  std::string db_, files_;
};

TEST_F(CmdPostgresTest, DbchkIsNegativeBeforeDbsyncAndPositiveAfter) {
  EXPECT_EQ(Cmd("dbchk"), 255) << Err();
  EXPECT_EQ(Cmd("dbsync"), 0) << Err();
  EXPECT_EQ(Cmd("dbchk"), 0) << Err();
  EXPECT_EQ(Cmd("dbchk --equal"), 0) << Err();
  EXPECT_EQ(Cmd("dbsync"), 0) << Err();
}

TEST_F(CmdPostgresTest, EventgetPrintsTheOriginalsRowsAfterTheUpgrade) {
  ASSERT_EQ(Cmd("dbsync"), 0) << Err();
  ASSERT_EQ(Cmd(std::string("eventget ") + pg_legacy::kEvent), 0) << Err();
  const std::string out = Out();
  EXPECT_NE(out.find(std::string("Event - ") + pg_legacy::kEvent + "\n{\"k\": 2}\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(std::string("    ELM ") + pg_legacy::kJohn +
                     " (2020-04-05T05:51:30.970000) policy 200 target 200\n"),
            std::string::npos)
      << out;
}

TEST_F(CmdPostgresTest, UnreachableDatabaseIsAnErrorNamingItWithoutThePassword) {
  std::ofstream(files_ + ".ini") << "[database]\npeewee_url = postgres://postgres:s3cret@127.0.0.1:1/"
                                 << db_ << "\nconnect_attempts = 1\n";
  EXPECT_EQ(Cmd("dbchk"), 1);
  EXPECT_NE(Err().find("127.0.0.1:1"), std::string::npos) << Err();
  EXPECT_EQ(Err().find("s3cret"), std::string::npos) << Err();
}

}  // namespace
}  // namespace pn::testing
