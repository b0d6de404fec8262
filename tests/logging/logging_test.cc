// Log line rendering (text and JSON lines), the request and attempt fields (no secrets), and the
// [notifications] log_level / log_format configuration keys.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "config/config.h"
#include "json/json.h"
#include "logging/logging.h"
#include "logging/request_log.h"

namespace pn::logging {
namespace {

TEST(RenderText, QuotesValuesWithSpacesAndLeavesOthersBare) {
  EXPECT_EQ(RenderText("request", {{"path", "/receive"}, {"error", "bad body"}, {"user", ""}}),
            R"(request path=/receive error="bad body" user="")");
}

TEST(RenderJsonLine, PutsTimeLevelMessageThenFields) {
  EXPECT_EQ(RenderJsonLine("2024-01-01T00:00:00.000000Z", "info", "request", {{"status", "200"}}),
            R"({"time":"2024-01-01T00:00:00.000000Z","level":"info","message":"request","status":"200"})");
}

TEST(RenderJsonLine, InvalidUtf8IsReplacedNotThrown) {
  std::string line = RenderJsonLine("", "", "request", {{"path", "/\xff"}});
  EXPECT_TRUE(ParseJson(line).ok()) << line;
}

TEST(ParseLevel, AcceptsTheDocumentedNamesOnly) {
  EXPECT_EQ(*ParseLevel("warning"), spdlog::level::warn);
  EXPECT_EQ(*ParseLevel("debug"), spdlog::level::debug);
  EXPECT_EQ(ParseLevel("loud").status().code(), StatusCode::kInvalidArgument);
}

TEST(ParseFormat, AcceptsTextAndJson) {
  EXPECT_EQ(*ParseFormat("json"), Format::kJson);
  EXPECT_EQ(ParseFormat("xml").status(),
            InvalidArgumentError("log format must be \"text\" or \"json\"; got \"xml\""));
}

http::Request Req(std::string method, std::string path) {
  http::Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

http::Response Resp(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string Field(const Fields& f, const std::string& key) {
  for (const auto& [k, v] : f) {
    if (k == key) return v;
  }
  return "<absent>";
}

TEST(RequestFields, AcceptedEventCarriesTheEventUuid) {
  auto f = RequestFields(Req("POST", "/receive"), Resp(200, "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
                         "alice", Duration(1500));
  EXPECT_EQ(Field(f, "event"), "3fa85f64-5717-4562-b3fc-2c963f66afa6");
  EXPECT_EQ(Field(f, "duration_ms"), "1.500");
  EXPECT_EQ(Field(f, "user"), "alice");
}

TEST(RequestFields, AcceptedBatchCarriesEveryEventUuid) {
  auto f = RequestFields(Req("POST", "/receive"), Resp(200, R"(["a", "b"])"), "u", Duration(0));
  EXPECT_EQ(Field(f, "event"), "a,b");
}

TEST(RequestFields, SubscriptionUuidComesFromThePath) {
  auto f = RequestFields(Req("GET", "/eventmatch/abc/deliveries"), Resp(200, "[]"), "u", Duration(0));
  EXPECT_EQ(Field(f, "subscription"), "abc");
}

TEST(RequestFields, CreatedSubscriptionUuidComesFromTheAnswer) {
  auto f = RequestFields(Req("POST", "/eventmatch"), Resp(200, R"({"uuid": "u-1", "auth": {"x": "secret"}})"),
                         "u", Duration(0));
  EXPECT_EQ(Field(f, "subscription"), "u-1");
  for (const auto& [k, v] : f) EXPECT_EQ(v.find("secret"), std::string::npos) << k;
}

TEST(RequestFields, ErrorsCarryTheirMessage) {
  auto f = RequestFields(Req("PUT", "/eventmatch/x"), Resp(400, R"({"message": "bad uuid"})"), "u",
                         Duration(0));
  EXPECT_EQ(Field(f, "status"), "400");
  EXPECT_EQ(Field(f, "error"), "bad uuid");
}

TEST(RequestFields, TheJsonpathTesterIsNotASubscription) {
  auto f = RequestFields(Req("POST", "/eventmatch/test"), Resp(200, "{}"), "u", Duration(0));
  EXPECT_EQ(Field(f, "subscription"), "<absent>");
}

TEST(AttemptFields, RetryCarriesUuidsOutcomeStatusesAndNextTime) {
  Delivery d;
  d.uuid = "d";
  d.event_uuid = "e";
  d.subscription_uuid = "s";
  d.state = DeliveryState::kPending;
  d.next_attempt_at = Timestamp(std::chrono::seconds(1'700'000'000));
  DeliveryAttempt a;
  a.number = 2;
  a.policy_status = 200;
  a.target_status = 503;
  a.duration = Duration(2000);
  EXPECT_EQ(RenderText("delivery attempt", AttemptFields(d, a, false)),
            "delivery attempt delivery=d event=e subscription=s attempt=2 outcome=retry "
            "policy_status=200 target_status=503 duration_ms=2.000 "
            "next_attempt_at=2023-11-14T22:13:20");
}

TEST(AttemptFields, FailureThatDisabledTheSubscriptionSaysSo) {
  Delivery d;
  d.state = DeliveryState::kFailed;
  DeliveryAttempt a;
  a.number = 1;
  a.target_status = 410;
  auto f = AttemptFields(d, a, true);
  EXPECT_EQ(Field(f, "outcome"), "failed");
  EXPECT_EQ(Field(f, "subscription_disabled"), "true");
  EXPECT_EQ(Field(f, "policy_status"), "-");
}

std::vector<Json> LinesLogged(Format format) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  LoggingOptions options;
  options.format = format;
  options.to_stderr = false;
  options.extra_sinks.push_back(sink);
  EXPECT_TRUE(ConfigureLogging(options).ok());
  LogEvent(spdlog::level::info, "request", {{"status", "200"}, {"path", "/a b"}});
  spdlog::warn("plain \"quoted\" text");
  LogEvent(spdlog::level::debug, "hidden at info", {});
  spdlog::default_logger()->flush();
  std::vector<Json> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) {
    auto j = ParseJson(line);
    lines.push_back(j.ok() ? *j : Json(line));
  }
  EXPECT_TRUE(ConfigureLogging({}).ok());  // back to stderr text for the other tests
  return lines;
}

TEST(LogEvent, JsonFormatWritesOneObjectPerLineWithFieldsAsMembers) {
  auto lines = LinesLogged(Format::kJson);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["message"], "request");
  EXPECT_EQ(lines[0]["status"], "200");
  EXPECT_EQ(lines[0]["path"], "/a b");
  EXPECT_TRUE(lines[0]["time"].is_string());
  EXPECT_EQ(lines[1]["level"], "warning");
  EXPECT_EQ(lines[1]["message"], "plain \"quoted\" text");
}

TEST(LogEvent, TextFormatWritesKeyValuePairs) {
  auto lines = LinesLogged(Format::kText);
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_TRUE(lines[0].is_string());
  EXPECT_TRUE(lines[0].get<std::string>().ends_with(R"(request status=200 path="/a b")"))
      << lines[0];
}

}  // namespace
}  // namespace pn::logging

namespace pn {
namespace {

Result<Config> WithIni(const std::string& text) {
  std::string path = ::testing::TempDir() + "/logging_keys.ini";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs(text.c_str(), f);
  std::fclose(f);
  ConfigSources sources;
  sources.config_path = path;
  return LoadConfig(sources);
}

TEST(ConfigLogKeys, DefaultsAreInfoAndText) {
  auto c = WithIni("[notifications]\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->log_format, "text");
}

TEST(ConfigLogKeys, FileSetsLevelAndFormat) {
  auto c = WithIni("[notifications]\nlog_level = debug\nlog_format = json\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->log_format, "json");
}

TEST(ConfigLogKeys, BadValuesAreBothReported) {
  auto c = WithIni("[notifications]\nlog_level = loud\nlog_format = xml\n");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("'loud' is not a log level"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("'xml' is not a log format (text or json)"), std::string::npos);
}

}  // namespace
}  // namespace pn
