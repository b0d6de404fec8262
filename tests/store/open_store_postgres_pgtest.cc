// OpenStore's PostgreSQL branch (src/app/open_store.cc) against a throwaway cluster: a
// peewee_url opens a working store, bad URL parameters are refused before any retrying, and
// connect_attempts/connect_wait apply as for SQLite.
#include <gtest/gtest.h>

#include "app/open_store.h"
#include "store/testing/store_conformance.h"
#include "tests/support/pg_cluster.h"

namespace pn::testing {
namespace {

using std::chrono::seconds;

class OpenPostgresFromUrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PgCluster::Shared();
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = *cluster;
    auto db = cluster_->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
  }
  PgCluster* cluster_ = nullptr;
  std::string db_;
};

TEST_F(OpenPostgresFromUrlTest, PostgresUrlOpensAWorkingStoreThatTheServerRulePrepares) {
  auto store = OpenStore(*ParseDatabaseUrl(cluster_->Url(db_)));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  PN_EXPECT_OK((*store)->Ping());
  PN_ASSERT_OK(PrepareSchemaForServing(**store));
  EXPECT_EQ(Must((*store)->schema().Version()), kCurrentSchema);
}

TEST_F(OpenPostgresFromUrlTest, PostgresqlSchemeAndPercentEncodedPasswordWork) {
  // Trust authentication ignores the password, but it must reach libpq decoded and intact.
  const std::string url = "postgresql://postgres:p%40ss%2Fw%3Ard@127.0.0.1:" +
                          std::to_string(cluster_->port()) + "/" + db_ +
                          "?application_name=pn-test";
  auto store = OpenStore(*ParseDatabaseUrl(url));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  PN_EXPECT_OK((*store)->Ping());
}

TEST_F(OpenPostgresFromUrlTest, UnknownUrlParameterIsRefusedAtOnceNamingIt) {
  OpenStoreOptions options;
  options.connect_attempts = 5;
  options.sleep = [](Duration) { ADD_FAILURE() << "a bad parameter must not be retried"; };
  auto store = OpenStore(*ParseDatabaseUrl(cluster_->Url(db_) + "?sslmod=require"), options);
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("'sslmod'"), std::string::npos)
      << store.status().message();
}

TEST_F(OpenPostgresFromUrlTest, StoppedServerIsRetriedConnectAttemptsTimes) {
  auto own = PgCluster::Start();
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  const std::string url = (*own)->Url("postgres");
  PN_ASSERT_OK((*own)->Stop());
  OpenStoreOptions options;
  options.connect_attempts = 4;
  options.connect_wait = seconds(20);
  std::vector<Duration> waits;
  options.sleep = [&](Duration d) { waits.push_back(d); };
  auto store = OpenStore(*ParseDatabaseUrl(url), options);
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("after 4 attempts"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(waits, (std::vector<Duration>(3, seconds(20))));
}

}  // namespace
}  // namespace pn::testing
