// PostgreSQL-specific behaviour: start-up connection attempts, surviving a database restart
// without reopening the store, processes (separate stores) sharing deliveries and hearing of
// each other's subscription changes, and the bounded pool.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "common/uuid.h"
#include "store/testing/store_conformance.h"
#include "tests/store/pg_test_util.h"

namespace pn::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

Subscription MakeSub(RandomSource& random, Timestamp t) {
  Subscription s;
  s.uuid = NewUuid4(random);
  s.name = "n";
  s.jsonpath = "$";
  s.user = "u";
  s.target_url = "http://127.0.0.1:1/";
  s.created = s.updated = t;
  return s;
}

NewEvent MakeEventWith(RandomSource& random, const Subscription& sub, int deliveries) {
  NewEvent item;
  item.event.uuid = NewUuid4(random);
  item.event.jsondata = "{}";
  item.event.created = T0();
  for (int i = 0; i < deliveries; ++i) {
    Delivery d;
    d.uuid = NewUuid4(random);
    d.event_uuid = item.event.uuid;
    d.subscription_uuid = sub.uuid;
    d.next_attempt_at = d.created = d.updated = T0();
    item.deliveries.push_back(d);
  }
  return item;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PgCluster::Shared();
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = *cluster;
    auto db = cluster_->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
  }
  // Another "process": its own pool and listener on the same database.
  std::unique_ptr<Store> Open(int max_connections = 8) {
    PostgresOptions options = OptionsFor(*cluster_, db_);
    options.max_connections = max_connections;
    auto store = OpenPostgresStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return nullptr;
    Status synced = (*store)->schema().Sync();
    EXPECT_TRUE(synced.ok()) << synced.ToString();
    return std::move(*store);
  }

  PgCluster* cluster_ = nullptr;
  std::string db_;
  SeededRandom random_{77};
};

TEST_F(PostgresStoreTest, OpenGivesUpAfterConnectAttemptsWaitingConnectWaitBetween) {
  PostgresOptions options;
  options.connect_params = {{"host", "127.0.0.1"}, {"port", "1"}, {"user", "postgres"},
                            {"dbname", "nothing"}};
  options.connect_attempts = 3;
  options.connect_wait = seconds(20);
  std::vector<Duration> waits;
  options.sleep = [&](Duration d) { waits.push_back(d); };
  auto store = OpenPostgresStore(options);
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("after 3 attempt(s), 20 s apart"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(waits, (std::vector<Duration>{seconds(20), seconds(20)}));
}

TEST_F(PostgresStoreTest, OpenWithZeroAttemptsStillTriesOnce) {
  PostgresOptions options = OptionsFor(*cluster_, db_);
  options.connect_attempts = 0;
  options.sleep = [](Duration) { ADD_FAILURE() << "no wait expected"; };
  auto store = OpenPostgresStore(options);
  PN_EXPECT_OK(store.status());
}

TEST_F(PostgresStoreTest, OpenOnAMissingDatabaseNamesIt) {
  PostgresOptions options = OptionsFor(*cluster_, "no_such_db");
  auto store = OpenPostgresStore(options);
  EXPECT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("no_such_db"), std::string::npos)
      << store.status().message();
}

TEST_F(PostgresStoreTest, TwoProcessesClaimingAtOnceNeverShareADelivery) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a && b);
  Subscription sub = MakeSub(random_, T0());
  PN_ASSERT_OK(a->subscriptions().Insert(sub));
  NewEvent item = MakeEventWith(random_, sub, 200);
  PN_ASSERT_OK(a->events().Append(std::span<const NewEvent>(&item, 1)));
  std::vector<Delivery> got_a, got_b;
  Status err_a, err_b;
  auto drain = [](Store& store, const char* owner, std::vector<Delivery>& got, Status& err) {
    while (true) {
      auto batch = store.deliveries().ClaimDue(T0(), 9, owner, T0() + minutes(5));
      if (!batch.ok()) {
        err = batch.status();
        return;
      }
      if (batch->empty()) return;
      got.insert(got.end(), batch->begin(), batch->end());
    }
  };
  std::thread ta([&] { drain(*a, "process-a", got_a, err_a); });
  drain(*b, "process-b", got_b, err_b);
  ta.join();
  PN_EXPECT_OK(err_a);
  PN_EXPECT_OK(err_b);
  std::set<std::string> uuids;
  for (const auto& d : got_a) uuids.insert(d.uuid);
  for (const auto& d : got_b) uuids.insert(d.uuid);
  EXPECT_EQ(got_a.size() + got_b.size(), 200u);
  EXPECT_EQ(uuids.size(), 200u);
  // Every row records the lease of the process that got it.
  for (const auto& d : got_a) {
    EXPECT_EQ(Must(b->deliveries().FindDelivery(d.uuid))->lease_owner, "process-a");
  }
}

TEST_F(PostgresStoreTest, LeaseOfAProcessThatDiedIsTakenOverAfterItExpires) {
  auto dead = Open();
  auto alive = Open();
  ASSERT_TRUE(dead && alive);
  Subscription sub = MakeSub(random_, T0());
  PN_ASSERT_OK(alive->subscriptions().Insert(sub));
  NewEvent item = MakeEventWith(random_, sub, 3);
  PN_ASSERT_OK(alive->events().Append(std::span<const NewEvent>(&item, 1)));
  ASSERT_EQ(Must(dead->deliveries().ClaimDue(T0(), 10, "dead", T0() + minutes(1))).size(), 3u);
  dead.reset();  // the process is gone; its leases stay in the database
  EXPECT_TRUE(Must(alive->deliveries().ClaimDue(T0() + seconds(59), 10, "alive",
                                                T0() + minutes(2)))
                  .empty());
  auto taken = Must(alive->deliveries().ClaimDue(T0() + minutes(1), 10, "alive",
                                                 T0() + minutes(2)));
  ASSERT_EQ(taken.size(), 3u);
  for (const auto& d : taken) EXPECT_EQ(d.lease_owner, "alive");
}

TEST_F(PostgresStoreTest, ChangeMadeByAnotherProcessWakesWaitForChange) {
  auto watcher = Open();
  auto writer = Open();
  ASSERT_TRUE(watcher && writer);
  const int64_t seen = Must(watcher->subscriptions().ChangeVersion());
  // Let the listener connect and settle first, so the wake-up below comes from NOTIFY.
  EXPECT_EQ(watcher->subscriptions().WaitForChange(seen, Duration(0)).code(),
            StatusCode::kDeadlineExceeded);
  PN_ASSERT_OK(writer->subscriptions().Insert(MakeSub(random_, T0())));
  PN_EXPECT_OK(watcher->subscriptions().WaitForChange(seen, minutes(1)));
  EXPECT_GT(Must(watcher->subscriptions().ChangeVersion()), seen);
}

TEST_F(PostgresStoreTest, DisableByRecordAttemptInAnotherProcessWakesWaitForChange) {
  auto watcher = Open();
  auto worker = Open();
  ASSERT_TRUE(watcher && worker);
  Subscription sub = MakeSub(random_, T0());
  PN_ASSERT_OK(watcher->subscriptions().Insert(sub));
  NewEvent item = MakeEventWith(random_, sub, 1);
  PN_ASSERT_OK(watcher->events().Append(std::span<const NewEvent>(&item, 1)));
  const int64_t seen = Must(watcher->subscriptions().ChangeVersion());
  Delivery d = item.deliveries[0];
  d.state = DeliveryState::kFailed;
  d.attempts = 1;
  DeliveryAttempt attempt{d.uuid, 1, T0(), seconds(1), 200, "", 410, "gone", ""};
  PN_ASSERT_OK(worker->deliveries().RecordAttempt(d, attempt, "target answered 410 Gone"));
  PN_EXPECT_OK(watcher->subscriptions().WaitForChange(seen, minutes(1)));
  EXPECT_TRUE(Must(watcher->subscriptions().ListActive()).empty());
}

TEST_F(PostgresStoreTest, PoolNeverOpensMoreThanItsBound) {
  auto store = Open(/*max_connections=*/2);
  ASSERT_TRUE(store);
  Subscription sub = MakeSub(random_, T0());
  PN_ASSERT_OK(store->subscriptions().Insert(sub));
  std::vector<std::thread> threads;
  std::vector<Status> errors(6);
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20 && errors[t].ok(); ++i) {
        errors[t] = store->subscriptions().ListForUser("u").status();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const Status& s : errors) PN_EXPECT_OK(s);
  // Fails (division by zero) when more than 2 sessions of ours are open on the database.
  PN_EXPECT_OK(cluster_->Exec(
      db_, "SELECT 1 / (CASE WHEN count(*) <= 2 THEN 1 ELSE 0 END) FROM pg_stat_activity WHERE "
           "datname = current_database() AND pid <> pg_backend_pid()"));
}

// Uses a cluster of its own: stopping the shared one would disturb other tests' stores.
class PostgresOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PgCluster::Start();
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    auto db = cluster_->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    auto store = OpenPostgresStore(OptionsFor(*cluster_, db_));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    PN_ASSERT_OK(store_->schema().Sync());
    sub_ = MakeSub(random_, T0());
    PN_ASSERT_OK(store_->subscriptions().Insert(sub_));
  }

  std::unique_ptr<PgCluster> cluster_;
  std::string db_;
  std::unique_ptr<Store> store_;
  Subscription sub_;
  SeededRandom random_{78};
};

TEST_F(PostgresOutageTest, OperationsAnswerUnavailableWhileDownAndSucceedOnceBack) {
  NewEvent before = MakeEventWith(random_, sub_, 2);
  PN_ASSERT_OK(store_->events().Append(std::span<const NewEvent>(&before, 1)));
  PN_ASSERT_OK(cluster_->Stop());

  NewEvent during = MakeEventWith(random_, sub_, 1);
  EXPECT_EQ(store_->events().Append(std::span<const NewEvent>(&during, 1)).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(store_->Ping().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store_->deliveries().ClaimDue(T0(), 5, "w", T0() + minutes(1)).status().code(),
            StatusCode::kUnavailable);

  PN_ASSERT_OK(cluster_->Restart());
  // The same store object: no reopening, no restart of the process.
  PN_EXPECT_OK(store_->events().Append(std::span<const NewEvent>(&during, 1)));
  EXPECT_TRUE(Must(store_->events().FindEvent(before.event.uuid)).has_value());
  EXPECT_TRUE(Must(store_->events().FindEvent(during.event.uuid)).has_value());
  EXPECT_EQ(Must(store_->deliveries().CountPending()), 3);
}

TEST_F(PostgresOutageTest, PooledConnectionsFromBeforeARestartAreReplacedTransparently) {
  // Fill the pool with several idle connections, then restart the server under them.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] { (void)store_->subscriptions().ListActive(); });
  }
  for (auto& th : threads) th.join();
  PN_ASSERT_OK(cluster_->Stop());
  PN_ASSERT_OK(cluster_->Restart());
  // The first operation after the restart succeeds: the dead connection is noticed and
  // replaced before anything reached the server.
  PN_EXPECT_OK(store_->Ping());
  EXPECT_EQ(Must(store_->subscriptions().ListActive()).size(), 1u);
  NewEvent item = MakeEventWith(random_, sub_, 1);
  PN_EXPECT_OK(store_->events().Append(std::span<const NewEvent>(&item, 1)));
}

TEST_F(PostgresOutageTest, ListenerReconnectsAndHearsChangesMadeAfterARestart) {
  const int64_t seen = Must(store_->subscriptions().ChangeVersion());
  EXPECT_EQ(store_->subscriptions().WaitForChange(seen, Duration(0)).code(),
            StatusCode::kDeadlineExceeded);
  PN_ASSERT_OK(cluster_->Stop());
  PN_ASSERT_OK(cluster_->Restart());
  // Changed by "another process" while this one's listener may still be reconnecting: the
  // counter it reads on reconnecting, or the NOTIFY, wakes the wait.
  auto other = OpenPostgresStore(OptionsFor(*cluster_, db_));
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  PN_ASSERT_OK((*other)->subscriptions().Insert(MakeSub(random_, T0())));
  PN_EXPECT_OK(store_->subscriptions().WaitForChange(seen, minutes(1)));
}

}  // namespace
}  // namespace pn::testing
