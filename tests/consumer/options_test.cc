#include "consumer/options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "test_zip.h"

namespace pn::consumer {
namespace {

Result<ParsedCommandLine> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "start-pacifica-notifications-consumer");
  return ParseCommandLine(static_cast<int>(args.size()), args.data());
}

TEST(OptionsTest, DefaultsFollowTheDesign) {
  auto p = Parse({"consumer.zip", "--producer-user", "dmlb2000"});
  ASSERT_TRUE(p.ok()) << p.status().message();
  const ConsumerOptions& o = p->options;
  EXPECT_EQ(o.consumer_zip, "consumer.zip");
  EXPECT_EQ(o.producer.url, "http://127.0.0.1:8070");
  EXPECT_EQ(o.producer.user, "dmlb2000");
  EXPECT_EQ(o.producer.user_header, "Http-Remote-User");
  EXPECT_EQ(o.name, "consumer:consumer");
  EXPECT_EQ(o.port, 8069);
  EXPECT_EQ(o.workers, 1);
  EXPECT_EQ(o.python, "/usr/bin/python3");
  EXPECT_EQ(o.callback_auth.type, CallbackAuth::Type::kNone);
  EXPECT_FALSE(o.job_timeout.has_value());
}

TEST(OptionsTest, PipArgsAreRepeatableAndKeptInOrder) {
  auto p = Parse({"c.zip", "--producer-user", "u", "--pip-arg=--no-index",
                  "--pip-arg=--find-links=/wheels"});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->options.pip_args, (std::vector<std::string>{"--no-index", "--find-links=/wheels"}));
}

TEST(OptionsTest, ProducerUserIsRequired) {
  auto p = Parse({"c.zip"});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("--producer-user is required"), std::string::npos)
      << p.status().message();
}

TEST(OptionsTest, BasicCallbackAuthNeedsAUsername) {
  auto p = Parse({"c.zip", "--producer-user", "u", "--callback-auth", "basic"});
  EXPECT_EQ(p.status(), InvalidArgumentError(
                            "invalid command line:\n  - --callback-auth basic needs --callback-username"));
}

TEST(OptionsTest, ExtensionsMustBeAnObject) {
  auto p = Parse({"c.zip", "--producer-user", "u", "--extensions", "[1]"});
  EXPECT_EQ(p.status(),
            InvalidArgumentError("invalid command line:\n  - --extensions must be a JSON object"));
}

TEST(OptionsTest, EveryProblemIsListedInOneMessage) {
  auto p = Parse({"c.zip", "--producer-user", "u", "--producer-url", "ftp://x", "--extensions", "1"});
  EXPECT_EQ(p.status(), InvalidArgumentError("invalid command line:\n"
                                             "  - --producer-url must start with http:// or https://\n"
                                             "  - --extensions must be a JSON object"));
}

TEST(OptionsTest, HelpIsNotAnError) {
  auto p = Parse({"--help"});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->exit_now);
  EXPECT_NE(p->output.find("--pip-arg"), std::string::npos);
}

TEST(OptionsTest, ConfigIniNamesTheEndpoints) {
  std::string ini = std::filesystem::temp_directory_path() / ("pn-ini-" + std::to_string(getpid()) + ".ini");
  testing::WriteFile(ini,
                     "[endpoints]\nupload_url = http://ingest:8066/upload\n"
                     "upload_status_url = http://ingest:8066/get_state\n"
                     "download_url = http://cartd:8081\nca_bundle = False\n"
                     "[authentication]\ntype = basic\nusername = me\npassword = pw\n");
  auto e = LoadPacificaEndpoints(ini);
  std::filesystem::remove(ini);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->upload_url, "http://ingest:8066/upload");
  EXPECT_EQ(e->upload_status_url, "http://ingest:8066/get_state");
  EXPECT_EQ(e->download_url, "http://cartd:8081");
  EXPECT_EQ(e->ca_bundle, "False");
  EXPECT_EQ(e->auth_type, "basic");
  EXPECT_EQ(e->username, "me");
  EXPECT_EQ(e->password, "pw");
}

TEST(OptionsTest, GssapiIsRefusedWithAReason) {
  std::string ini = std::filesystem::temp_directory_path() / ("pn-ini-g-" + std::to_string(getpid()) + ".ini");
  testing::WriteFile(ini, "[authentication]\ntype = gssapi\n");
  auto e = LoadPacificaEndpoints(ini);
  std::filesystem::remove(ini);
  EXPECT_EQ(e.status(), InvalidArgumentError("[authentication] type = gssapi is not supported by "
                                             "the consumer helper (use basic or clientssl)"));
}

TEST(OptionsTest, AMissingConfigIniIsNotFound) {
  EXPECT_EQ(LoadPacificaEndpoints("/nonexistent/config.ini").status(),
            NotFoundError("cannot open --config-ini file \"/nonexistent/config.ini\""));
}

}  // namespace
}  // namespace pn::consumer
