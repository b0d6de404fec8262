#include "common/time_format.h"

#include <gtest/gtest.h>

namespace pn {
namespace {

using namespace std::chrono;

TEST(TimeFormatTest, IsoFormWithMicroseconds) {
  Timestamp t = sys_days{2026y / 11 / 29} + 5h + 50min + 17s + 807933us;
  EXPECT_EQ(FormatIsoTimestamp(t), "2026-11-29T05:50:17.807933");
  EXPECT_EQ(FormatStorageTimestamp(t), "2026-11-29 05:50:17.807933");
}

TEST(TimeFormatTest, FractionDroppedWhenZeroAsPythonIsoformat) {
  Timestamp t = sys_days{2001y / 1 / 1};
  EXPECT_EQ(FormatIsoTimestamp(t), "2001-01-01T00:00:00");
}

TEST(TimeFormatTest, ParsesBothSeparatorsAndShortFractions) {
  Timestamp t = sys_days{2020y / 4 / 1} + 1h + 2min + 3s + 500000us;
  EXPECT_EQ(*ParseTimestamp("2020-04-01 01:02:03.5"), t);
  EXPECT_EQ(*ParseTimestamp("2020-04-01T01:02:03.500000"), t);
  EXPECT_EQ(*ParseTimestamp("2020-04-01T01:02:03.500000Z"), t);
}

TEST(TimeFormatTest, RejectsGarbage) {
  EXPECT_EQ(ParseTimestamp("yesterday").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTimestamp("2020-13-01 00:00:00").status().code(), StatusCode::kInvalidArgument);
}

TEST(TimeFormatTest, StrptimeFormat) {
  auto t = ParseTimestampWithFormat("2020-01-02 03:04:05", "%Y-%m-%d %H:%M:%S");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatIsoTimestamp(*t), "2020-01-02T03:04:05");
  EXPECT_FALSE(ParseTimestampWithFormat("2020-01-02", "%Y-%m-%d %H:%M:%S").ok());
}

}  // namespace
}  // namespace pn
