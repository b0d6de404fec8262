// `pacifica-notifications-cmd jsonpath EXPR [FILE]`: output format and exit codes.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/jsonpath_command.h"
#include "tests/jsonpath/test_util.h"

namespace pn::cli {
namespace {

using ::testing::HasSubstr;

struct CommandResult {
  int code;
  std::string out;
  std::string err;
};

CommandResult RunCommand(std::string_view expr, std::string_view stdin_text,
                         const std::optional<std::string>& file = std::nullopt) {
  std::istringstream in{std::string(stdin_text)};
  std::ostringstream out, err;
  const int code = RunJsonpathCommand(expr, file, in, out, err);
  return {code, out.str(), err.str()};
}

TEST(JsonpathCommandTest, PrintsPathsAndValuesInMatchOrder) {
  CommandResult r = RunCommand("$.a[*]", R"({"a": [1, 1.0, "é"]})");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "[\n"
            "  {\"path\": \"$[\\\"a\\\"][0]\", \"value\": 1},\n"
            "  {\"path\": \"$[\\\"a\\\"][1]\", \"value\": 1.0},\n"
            "  {\"path\": \"$[\\\"a\\\"][2]\", \"value\": \"\\u00e9\"}\n"
            "]\n");
  EXPECT_EQ(r.err, "");
}

TEST(JsonpathCommandTest, OutputIsJsonThatRoundTrips) {
  CommandResult r = RunCommand("$..b", R"({"a": {"b": {"c": [1, 2.5]}}})");
  ASSERT_EQ(r.code, 0);
  auto parsed = ParseJson(r.out);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ((*parsed)[0]["path"], R"($["a"]["b"])");
  EXPECT_TRUE((*parsed)[0]["value"]["c"][1].is_number_float());
}

TEST(JsonpathCommandTest, NoResultsIsEmptyArrayAndExitZero) {
  CommandResult r = RunCommand("$.missing", "{}");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "[]\n");
}

TEST(JsonpathCommandTest, SyntaxErrorExitsTwoWithMessage) {
  CommandResult r = RunCommand("$.true", "{}");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("jsonpath syntax error at position 2"));
}

TEST(JsonpathCommandTest, EvaluationErrorExitsThree) {
  CommandResult r = RunCommand("$[::0]", "[1]");
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("slice step cannot be zero"));
}

TEST(JsonpathCommandTest, InvalidJsonInputExitsOne) {
  CommandResult r = RunCommand("$", "{nope");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("standard input: invalid JSON"));
}

TEST(JsonpathCommandTest, UnreadableFileExitsOne) {
  CommandResult r = RunCommand("$", "", std::string("/nonexistent/event.json"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot read /nonexistent/event.json"));
}

TEST(JsonpathCommandTest, ReadsTheFileWhenGiven) {
  CommandResult r = RunCommand(R"($["eventID"])", "not read",
                               std::string(PN_TESTDATA_DIR "/events/example-ingest-event.json"));
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr(R"("value": "metadata.ingest.1301")"));
}

TEST(JsonpathCommandTest, SyntaxErrorWinsOverBadInput) {
  EXPECT_EQ(RunCommand("$[", "{nope").code, 2);
}

}  // namespace
}  // namespace pn::cli
