#include "cli/event_get.h"

#include <gtest/gtest.h>

#include <sstream>

#include "../ingest/recording_event_store.h"
#include "common/time_format.h"

namespace pn::cli {
namespace {

using ingest::testing::RecordingEventStore;

Timestamp At(const char* text) { return *ParseTimestamp(text); }

Delivery Elm(const char* uuid, const char* event, const char* sub, const char* created,
             const char* policy, const char* target) {
  Delivery d;
  d.uuid = uuid;
  d.event_uuid = event;
  d.subscription_uuid = sub;
  d.created = d.updated = d.next_attempt_at = At(created);
  d.policy_status_code = policy;
  d.target_status_code = target;
  return d;
}

constexpr char kE1[] = "75be14fa-32b9-4816-a9bb-f0a19e09d36c";
constexpr char kE2[] = "0b5c0ae4-5c1a-4c1b-9d8e-2f61d0d1a001";
constexpr char kS1[] = "fde19ad9-f90f-4d2e-a1be-b14223fae88c";
constexpr char kS2[] = "1791be8f-d9cc-418c-b976-b2a747b58678";

class EventGetTest : public ::testing::Test {
 protected:
  EventGetTest() : clock_(At("2026-11-29T12:00:00")) {
    std::vector<NewEvent> rows(2);
    rows[0].event = {kE1, R"({"k": 2})", At("2026-11-29T05:51:30.500000")};
    rows[0].deliveries = {
        Elm("aaaaaaaa-0000-4000-8000-000000000001", kE1, kS1, "2026-11-29T05:51:30.964940", "200",
            "200"),
        Elm("aaaaaaaa-0000-4000-8000-000000000002", kE1, kS2, "2026-11-29T05:51:31", "", "")};
    rows[1].event = {kE2, R"({"eventType": "x", "data": [1, 2.0]})", At("2020-01-15T00:00:00")};
    EXPECT_TRUE(store_.Append(rows).ok());
  }

  int Run(const EventGetOptions& o) {
    return RunEventGet(store_, clock_, o, out_, err_);
  }

  RecordingEventStore store_;
  ManualClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(EventGetTest, DefaultWindowPrintsTheOriginalFormatByteForByte) {
  EXPECT_EQ(Run({}), 0);
  EXPECT_EQ(out_.str(),
            "Event - 75be14fa-32b9-4816-a9bb-f0a19e09d36c\n"
            "{\"k\": 2}\n"
            "    ELM fde19ad9-f90f-4d2e-a1be-b14223fae88c (2026-11-29T05:51:30.964940) policy 200 "
            "target 200\n"
            "    ELM 1791be8f-d9cc-418c-b976-b2a747b58678 (2026-11-29T05:51:31) policy  target \n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(EventGetTest, DateWindowSelectsOlderEvents) {
  EventGetOptions o;
  o.start_date = "2020-01-01 00:00:00";
  o.end_date = "2020-02-01 00:00:00";
  EXPECT_EQ(Run(o), 0);
  EXPECT_EQ(out_.str(),
            "Event - 0b5c0ae4-5c1a-4c1b-9d8e-2f61d0d1a001\n"
            "{\"eventType\": \"x\", \"data\": [1, 2.0]}\n");
}

TEST_F(EventGetTest, CustomDateFormat) {
  EventGetOptions o;
  o.date_format = "%d/%m/%Y";
  o.start_date = "14/01/2020";
  o.end_date = "16/01/2020";
  EXPECT_EQ(Run(o), 0);
  EXPECT_EQ(out_.str().rfind("Event - 0b5c0ae4", 0), 0u);
}

TEST_F(EventGetTest, LimitCapsTheListing) {
  EventGetOptions o;
  o.start_date = "2000-01-01 00:00:00";
  o.limit = 1;
  EXPECT_EQ(Run(o), 0);
  EXPECT_EQ(out_.str(),
            "Event - 75be14fa-32b9-4816-a9bb-f0a19e09d36c\n"
            "{\"k\": 2}\n"
            "    ELM fde19ad9-f90f-4d2e-a1be-b14223fae88c (2026-11-29T05:51:30.964940) policy 200 "
            "target 200\n"
            "    ELM 1791be8f-d9cc-418c-b976-b2a747b58678 (2026-11-29T05:51:31) policy  target \n");
}

TEST_F(EventGetTest, UuidsSelectExactlyThoseIgnoringDatesAndAcceptingAnyForm) {
  EventGetOptions o;
  o.uuids = {"0B5C0AE45C1A4C1B9D8E2F61D0D1A001"};
  o.limit = 0;
  EXPECT_EQ(Run(o), 0);
  EXPECT_EQ(out_.str(),
            "Event - 0b5c0ae4-5c1a-4c1b-9d8e-2f61d0d1a001\n"
            "{\"eventType\": \"x\", \"data\": [1, 2.0]}\n");
}

TEST_F(EventGetTest, UnknownUuidIsNotedOnStderr) {
  EventGetOptions o;
  o.uuids = {"00000000-0000-4000-8000-000000000000"};
  EXPECT_EQ(Run(o), 0);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "eventget: no event 00000000-0000-4000-8000-000000000000\n");
}

TEST_F(EventGetTest, StartAfterEndIsAnError) {
  EventGetOptions o;
  o.start_date = "2020-02-01 00:00:00";
  o.end_date = "2020-01-01 00:00:00";
  EXPECT_EQ(Run(o), 1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "eventget: Start time 2020-02-01 00:00:00 should be less than end time "
                        "2020-01-01 00:00:00\n");
}

TEST_F(EventGetTest, DateNotMatchingFormatIsAnError) {
  EventGetOptions o;
  o.start_date = "yesterday";
  EXPECT_EQ(Run(o), 1);
  EXPECT_EQ(err_.str().rfind("eventget: --start-date 'yesterday' does not match --date-format "
                             "'%Y-%m-%d %H:%M:%S': ",
                             0),
            0u)
      << err_.str();
}

TEST_F(EventGetTest, MalformedUuidIsAnError) {
  EventGetOptions o;
  o.uuids = {"nope"};
  EXPECT_EQ(Run(o), 1);
  EXPECT_EQ(err_.str().rfind("eventget: 'nope' is not an event uuid: ", 0), 0u) << err_.str();
}

TEST_F(EventGetTest, StoreErrorIsExit1) {
  store_.FailWith(UnavailableError("database is locked"));
  EXPECT_EQ(Run({}), 1);
  EXPECT_EQ(err_.str(), "eventget: database is locked\n");
}

}  // namespace
}  // namespace pn::cli
