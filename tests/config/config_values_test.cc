#include "config/config_values.h"

#include <gtest/gtest.h>

namespace pn::config_values {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ConfigValuesTest, IntegerAcceptsRangeAndRejectsGarbage) {
  EXPECT_EQ(std::get<int64_t>(ParseInteger(" 42 ", 0, 100)), 42);
  EXPECT_EQ(std::get<std::string>(ParseInteger("4x", 0, 100)), "'4x' is not a whole number");
  EXPECT_EQ(std::get<std::string>(ParseInteger("101", 0, 100)),
            "'101' is out of range (0 to 100)");
}

TEST(ConfigValuesTest, SecondsAcceptFractions) {
  EXPECT_EQ(std::get<Duration>(ParseSeconds("2.5", 0)), milliseconds(2500));
  EXPECT_EQ(std::get<std::string>(ParseSeconds("-1", 0)),
            "'-1' is out of range (0 to 315360000) (seconds)");
}

TEST(ConfigValuesTest, BoolsAsConfigParserReadsThem) {
  EXPECT_TRUE(std::get<bool>(ParseBool("True")));
  EXPECT_TRUE(std::get<bool>(ParseBool("on")));
  EXPECT_FALSE(std::get<bool>(ParseBool("0")));
  EXPECT_EQ(std::get<std::string>(ParseBool("maybe")),
            "'maybe' is not a boolean (expected true/false, yes/no, on/off or 1/0)");
}

TEST(ConfigValuesTest, ScheduleIsCommaSeparatedSeconds) {
  EXPECT_EQ(std::get<std::vector<Duration>>(ParseSchedule("5, 30, 0.5")),
            (std::vector<Duration>{seconds(5), seconds(30), milliseconds(500)}));
  EXPECT_TRUE(std::get<std::vector<Duration>>(ParseSchedule("")).empty());
  EXPECT_EQ(std::get<std::string>(ParseSchedule("5, soon")),
            "item 2 of '5, soon': ' soon' is not a number (seconds)");
}

TEST(ConfigValuesTest, HttpUrlMustBeAbsolute) {
  EXPECT_EQ(CheckHttpUrl(""), std::nullopt);
  EXPECT_EQ(CheckHttpUrl("https://policy.example:8181/x"), std::nullopt);
  EXPECT_EQ(*CheckHttpUrl("localhost:8181"),
            "'localhost:8181' is not an absolute http:// or https:// URL");
  EXPECT_EQ(*CheckHttpUrl("http:///path"), "'http:///path' has no host");
}

TEST(ConfigValuesTest, PythonLiteralQuotesAreStripped) {
  EXPECT_EQ(StripPythonLiteral("'access.log'"), "access.log");
  EXPECT_EQ(StripPythonLiteral("\"0.0.0.0\""), "0.0.0.0");
  EXPECT_EQ(StripPythonLiteral("8070"), "8070");
  EXPECT_EQ(StripPythonLiteral("None"), "");
}

}  // namespace
}  // namespace pn::config_values
