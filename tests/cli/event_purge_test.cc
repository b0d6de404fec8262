#include "cli/event_purge.h"

#include <gtest/gtest.h>

#include <sstream>

#include "../ingest/recording_event_store.h"
#include "common/time_format.h"

namespace pn::cli {
namespace {

using ingest::testing::RecordingEventStore;

Timestamp At(const char* text) { return *ParseTimestamp(text); }

std::string EventUuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "eeeeeeee-0000-4000-8000-%012d", n);
  return buf;
}

class EventPurgeTest : public ::testing::Test {
 protected:
  EventPurgeTest() : clock_(At("2026-11-29T12:00:00")) {}

  // `n` events a day apart ending at `last`, one delivery each.
  void AddEvents(int n, Timestamp last) {
    std::vector<NewEvent> rows(n);
    for (int i = 0; i < n; ++i) {
      rows[i].event = {EventUuid(i), "{}", last - std::chrono::hours(24) * (n - 1 - i)};
      Delivery d;
      d.uuid = "dddddddd" + EventUuid(i).substr(8);
      d.event_uuid = EventUuid(i);
      d.subscription_uuid = "ssssssss-0000-4000-8000-000000000000";
      rows[i].deliveries.push_back(d);
    }
    ASSERT_TRUE(store_.Append(rows).ok());
  }

  RecordingEventStore store_;
  ManualClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(EventPurgeTest, DefaultPurgesEventsOlderThanOneDayWithTheirDeliveries) {
  AddEvents(5, At("2026-11-29T11:00:00"));  // the last one is an hour old
  EXPECT_EQ(RunEventPurge(store_, clock_, {}, out_, err_), 0);
  ASSERT_EQ(store_.events().size(), 1u);
  EXPECT_EQ(store_.events()[0].uuid, EventUuid(4));
  ASSERT_EQ(store_.deliveries().size(), 1u);
  EXPECT_EQ(store_.deliveries()[0].event_uuid, EventUuid(4));
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(EventPurgeTest, OlderThanDatePurgesInBatchesWithProgress) {
  AddEvents(7, At("2026-11-29T11:00:00"));
  EventPurgeOptions o;
  o.older_than_date = "2199-01-01 00:00:00";
  o.limit = 3;
  o.progress = true;
  EXPECT_EQ(RunEventPurge(store_, clock_, o, out_, err_), 0);
  EXPECT_TRUE(store_.events().empty());
  EXPECT_TRUE(store_.deliveries().empty());
  EXPECT_EQ(err_.str(), "\rpurged 3 events\rpurged 6 events\rpurged 7 events\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(EventPurgeTest, UuidsPurgeExactlyThose) {
  AddEvents(3, At("2026-11-29T11:00:00"));
  EventPurgeOptions o;
  o.uuids = {EventUuid(2), EventUuid(0)};
  EXPECT_EQ(RunEventPurge(store_, clock_, o, out_, err_), 0);
  ASSERT_EQ(store_.events().size(), 1u);
  EXPECT_EQ(store_.events()[0].uuid, EventUuid(1));
}

TEST_F(EventPurgeTest, NonPositiveLimitIsAnError) {
  EventPurgeOptions o;
  o.limit = 0;
  EXPECT_EQ(RunEventPurge(store_, clock_, o, out_, err_), 1);
  EXPECT_EQ(err_.str(),
            "eventpurge: --limit must be a positive number of events per batch, got 0\n");
}

TEST_F(EventPurgeTest, BadDateIsAnError) {
  EventPurgeOptions o;
  o.older_than_date = "2020-13-45";
  EXPECT_EQ(RunEventPurge(store_, clock_, o, out_, err_), 1);
  EXPECT_EQ(err_.str().rfind("eventpurge: --older-than-date '2020-13-45' does not match "
                             "--date-format '%Y-%m-%d %H:%M:%S': ",
                             0),
            0u)
      << err_.str();
}

TEST_F(EventPurgeTest, StoreErrorIsExit1) {
  AddEvents(2, At("2020-01-01T00:00:00"));
  store_.FailWith(UnavailableError("database is locked"));
  EXPECT_EQ(RunEventPurge(store_, clock_, {}, out_, err_), 1);
  EXPECT_EQ(err_.str(), "eventpurge: database is locked\n");
}

}  // namespace
}  // namespace pn::cli
