// The event subcommands through the whole program (argument parsing, configuration, the
// SQLite store), in-process with RunAdminCommand.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "app/open_store.h"
#include "cli/cmd_app.h"
#include "common/time_format.h"
#include "config/database_url.h"

namespace pn::cli {
namespace {

constexpr char kE1[] = "75be14fa-32b9-4816-a9bb-f0a19e09d36c";
constexpr char kS1[] = "fde19ad9-f90f-4d2e-a1be-b14223fae88c";

class EventCommandsSqliteTest : public ::testing::Test {
 protected:
  EventCommandsSqliteTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("pn_event_cmd_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        clock_(*ParseTimestamp("2026-11-29T12:00:00")),
        random_(5) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    env_["PEEWEE_URL"] = "sqlite:///" + (dir_ / "db.sqlite").string();
    env_["HOME"] = dir_.string();
    EXPECT_EQ(Run({"dbsync"}), 0) << err_.str();
    auto url = ParseDatabaseUrl(env_["PEEWEE_URL"]);
    EXPECT_TRUE(url.ok());
    auto store = OpenStore(*url);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  ~EventCommandsSqliteTest() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    CmdContext ctx(env_, in_, out_, err_, clock_, random_);
    return RunAdminCommand(args, ctx);
  }

  void Seed() {
    Subscription s;
    s.uuid = kS1;
    s.name = "all data";
    s.jsonpath = "$[\"data\"]";
    s.user = "johndoe";
    s.target_url = "http://127.0.0.1:9/";
    s.created = s.updated = clock_.Now();
    ASSERT_TRUE(store_->subscriptions().Insert(s).ok());
    NewEvent e;
    e.event = {kE1, R"({"data": {"k": "\u00e9"}})", *ParseTimestamp("2026-11-29T05:51:30.500000")};
    Delivery d;
    d.uuid = "aaaaaaaa-0000-4000-8000-000000000001";
    d.event_uuid = kE1;
    d.subscription_uuid = kS1;
    d.state = DeliveryState::kDelivered;
    d.created = d.updated = d.next_attempt_at = *ParseTimestamp("2026-11-29T05:51:30.964940");
    d.policy_status_code = "200";
    d.target_status_code = "200";
    e.deliveries.push_back(d);
    ASSERT_TRUE(store_->events().Append(std::span<const NewEvent>(&e, 1)).ok());
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
  ManualClock clock_;
  SeededRandom random_;
  std::istringstream in_;
  std::ostringstream out_, err_;
  std::unique_ptr<Store> store_;
};

TEST_F(EventCommandsSqliteTest, EventgetPrintsStoredRowsInTheOriginalFormat) {
  Seed();
  EXPECT_EQ(Run({"eventget"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "Event - 75be14fa-32b9-4816-a9bb-f0a19e09d36c\n"
            "{\"data\": {\"k\": \"\\u00e9\"}}\n"
            "    ELM fde19ad9-f90f-4d2e-a1be-b14223fae88c (2026-11-29T05:51:30.964940) policy 200 "
            "target 200\n");
}

TEST_F(EventCommandsSqliteTest, EventgetStartAfterEndExits1) {
  EXPECT_EQ(Run({"eventget", "--start-date", "2020-02-01 00:00:00", "--end-date",
                 "2020-01-01 00:00:00"}),
            1);
  EXPECT_EQ(err_.str(), "eventget: Start time 2020-02-01 00:00:00 should be less than end time "
                        "2020-01-01 00:00:00\n");
}

TEST_F(EventCommandsSqliteTest, EventgetNegativeLimitIsAUsageError) {
  EXPECT_EQ(Run({"eventget", "--limit", "-1"}), 2);
}

TEST_F(EventCommandsSqliteTest, EventretryQueuesAndPrintsNewDeliveries) {
  Seed();
  EXPECT_EQ(Run({"eventretry", kE1}), 0) << err_.str();
  auto deliveries = store_->events().DeliveriesForEvent(kE1);
  ASSERT_TRUE(deliveries.ok());
  ASSERT_EQ(deliveries->size(), 2u);
  const Delivery& queued = deliveries->at(1);
  EXPECT_EQ(queued.state, DeliveryState::kPending);
  EXPECT_EQ(out_.str(), queued.uuid + " - " + kS1 + "\n");
}

TEST_F(EventCommandsSqliteTest, EventpurgeRemovesEventsAndDeliveries) {
  Seed();
  EXPECT_EQ(Run({"eventpurge", "--older-than-date", "2199-01-01 00:00:00", "--limit", "1"}), 0)
      << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");  // not a terminal: no progress
  auto event = store_->events().FindEvent(kE1);
  ASSERT_TRUE(event.ok());
  EXPECT_FALSE(event->has_value());
  auto deliveries = store_->events().DeliveriesForEvent(kE1);
  ASSERT_TRUE(deliveries.ok());
  EXPECT_TRUE(deliveries->empty());
}

TEST_F(EventCommandsSqliteTest, EventpurgeZeroLimitIsAUsageError) {
  EXPECT_EQ(Run({"eventpurge", "--limit", "0"}), 2);
}

TEST_F(EventCommandsSqliteTest, EventCommandOnMissingDatabaseExits1) {
  env_["PEEWEE_URL"] = "sqlite:///" + (dir_ / "missing.sqlite").string();
  EXPECT_EQ(Run({"eventget"}), 1);
  EXPECT_EQ(err_.str().rfind("eventget: ", 0), 0u) << err_.str();
}

}  // namespace
}  // namespace pn::cli
