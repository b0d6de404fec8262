#include "config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pn {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("pn_config_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    sources_.cpu_count = 4;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  std::filesystem::path dir_;
  ConfigSources sources_;
};

TEST_F(ConfigTest, DefaultsMatchTheDesign) {
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->default_user, "default_user");
  EXPECT_EQ(c->user_header, "Http-Remote-User");
  EXPECT_EQ(c->policy_url, "http://localhost:8181");
  EXPECT_EQ(c->peewee_url, "sqliteext:///pacifica-notifications.db");
  EXPECT_EQ(c->database.kind, DatabaseUrl::Kind::kSqlite);
  EXPECT_EQ(c->database.path, "pacifica-notifications.db");
  EXPECT_EQ(c->connect_attempts, 10);
  EXPECT_EQ(c->connect_wait, seconds(20));
  EXPECT_EQ(c->server.address, "127.0.0.1");
  EXPECT_EQ(c->server.port, 8070);
  EXPECT_EQ(c->delivery.retry_schedule, DefaultRetrySchedule());
  EXPECT_DOUBLE_EQ(c->delivery.jitter, 0.2);
  EXPECT_EQ(c->delivery.policy_timeout, seconds(10));
  EXPECT_EQ(c->delivery.target_timeout, seconds(30));
  EXPECT_EQ(c->delivery.max_in_flight_per_target, 8);
  EXPECT_EQ(c->delivery.workers, 4);
  EXPECT_EQ(c->delivery.max_body_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(c->delivery.response_body_limit, 65536);
  EXPECT_FALSE(c->redact_secrets);
  EXPECT_TRUE(c->files_read.empty());
}

TEST_F(ConfigTest, EnvironmentSeedsValues) {
  sources_.env = {{"POLICY_URL", "http://policy:8181"},
                  {"DATABASE_CONNECT_ATTEMPTS", "3"},
                  {"DEFAULT_USER", "dmlb2001"}};
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->policy_url, "http://policy:8181");
  EXPECT_EQ(c->connect_attempts, 3);
  EXPECT_EQ(c->default_user, "dmlb2001");
}

TEST_F(ConfigTest, FileOverridesEnvironmentAndFlagsOverrideFile) {
  sources_.env = {{"POLICY_URL", "http://from-env:1"}, {"USER_HEADER", "X-Env"}};
  sources_.config_path = Write("config.ini",
                               "[notifications]\npolicy_url = http://from-file:2\n"
                               "[global]\nserver.socket_port = 9000\n"
                               "server.socket_host = '0.0.0.0'\n");
  sources_.port = 9100;
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->policy_url, "http://from-file:2");
  EXPECT_EQ(c->user_header, "X-Env");
  EXPECT_EQ(c->server.port, 9100);
  EXPECT_EQ(c->server.address, "0.0.0.0");
  EXPECT_EQ(c->files_read, (std::vector<std::string>{*sources_.config_path}));
}

TEST_F(ConfigTest, AddressFlagOverridesCherryPyHost) {
  sources_.cpconfig_path = Write("server.conf", "[global]\nserver.socket_host: '0.0.0.0'\n");
  sources_.address = "localhost";
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server.address, "localhost");
}

TEST_F(ConfigTest, ReadsTheShippedCherryPyServerConf) {
  sources_.cpconfig_path = Write("server.conf",
                                 "[global]\n"
                                 "log.screen: True\n"
                                 "log.access_file: 'access.log'\n"
                                 "log.error_file: 'error.log'\n"
                                 "server.socket_host: '0.0.0.0'\n"
                                 "server.socket_port: 8070\n"
                                 "engine.autoreload.on: False\n"
                                 "\n"
                                 "[/]\n"
                                 "request.dispatch: cherrypy.dispatch.MethodDispatcher()\n");
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->server.log_screen);
  EXPECT_EQ(c->server.access_log, "access.log");
  EXPECT_EQ(c->server.error_log, "error.log");
  EXPECT_EQ(c->server.address, "0.0.0.0");
  EXPECT_EQ(c->server.port, 8070);
  const std::string& path = *sources_.cpconfig_path;
  EXPECT_EQ(c->warnings,
            (std::vector<std::string>{
                path + ":7: [global] engine.autoreload.on is a CherryPy setting this server does "
                       "not use; ignored",
                path + ":10: [/] request.dispatch is a CherryPy setting this server does not "
                       "use; ignored"}));
}

TEST_F(ConfigTest, OneFileMayHoldBothKinds) {
  sources_.config_path = Write("both.ini",
                               "[global]\nserver.socket_port = 8123\n"
                               "[database]\npeewee_url = sqlite:////tmp/x.db\n");
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server.port, 8123);
  EXPECT_EQ(c->database.path, "/tmp/x.db");
}

TEST_F(ConfigTest, ConfigFileWinsOverCpconfigFile) {
  sources_.cpconfig_path = Write("cp.ini", "[global]\nserver.socket_port = 1111\n");
  sources_.config_path = Write("c.ini", "[global]\nserver.socket_port = 2222\n");
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->server.port, 2222);
}

TEST_F(ConfigTest, EnvironmentNamesTheFiles) {
  sources_.env = {{"NOTIFICATIONS_CONFIG", Write("c.ini", "[DEFAULT]\ndefault_user = bob\n")},
                  {"NOTIFICATIONS_CPCONFIG", Write("cp.ini", "[global]\nserver.socket_port = 1\n")}};
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->default_user, "bob");
  EXPECT_EQ(c->server.port, 1);
}

TEST_F(ConfigTest, HomeConfigIsReadWhenPresent) {
  Write("home/.pacifica-notifications/config.ini", "[notifications]\nuser_header = X-User\n");
  sources_.env = {{"HOME", (dir_ / "home").string()}};
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->user_header, "X-User");
}

TEST_F(ConfigTest, MissingHomeConfigIsFine) {
  sources_.env = {{"HOME", (dir_ / "nobody").string()}};
  EXPECT_TRUE(LoadConfig(sources_).ok());
}

TEST_F(ConfigTest, ExplicitMissingFileIsAnError) {
  sources_.config_path = (dir_ / "absent.ini").string();
  Status status = LoadConfig(sources_).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid configuration (1 problem):\n  flag -c/--config: '" +
                                  *sources_.config_path + "' is not a readable file");
}

TEST_F(ConfigTest, DeliveryKeysAreParsed) {
  sources_.config_path = Write("c.ini",
                               "[delivery]\nretry_schedule = 1, 2.5, 60\njitter = 0\n"
                               "policy_timeout = 0.5\ntarget_timeout = 12\n"
                               "max_in_flight_per_target = 2\nworkers = 3\n"
                               "max_body_bytes = 1024\nresponse_body_limit = 0\n"
                               "[notifications]\nredact_secrets = yes\n");
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->delivery.retry_schedule,
            (std::vector<Duration>{seconds(1), milliseconds(2500), seconds(60)}));
  EXPECT_DOUBLE_EQ(c->delivery.jitter, 0);
  EXPECT_EQ(c->delivery.policy_timeout, milliseconds(500));
  EXPECT_EQ(c->delivery.target_timeout, seconds(12));
  EXPECT_EQ(c->delivery.max_in_flight_per_target, 2);
  EXPECT_EQ(c->delivery.workers, 3);
  EXPECT_EQ(c->delivery.max_body_bytes, 1024);
  EXPECT_EQ(c->delivery.response_body_limit, 0);
  EXPECT_TRUE(c->redact_secrets);
}

TEST_F(ConfigTest, EmptyPolicyUrlMeansNoPolicyCheck) {
  sources_.env = {{"POLICY_URL", ""}};
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->policy_url, "");
}

TEST_F(ConfigTest, PercentEncodedPostgresPasswordIsDecoded) {
  sources_.env = {{"PEEWEE_URL", "postgres://notifications:p%40ss%25w@db:5432/pacifica"}};
  auto c = LoadConfig(sources_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->database.kind, DatabaseUrl::Kind::kPostgres);
  EXPECT_EQ(c->database.password, "p@ss%w");
  EXPECT_EQ(c->peewee_url, "postgres://notifications:p%40ss%25w@db:5432/pacifica");
}

TEST_F(ConfigTest, EveryProblemIsListedAtOnceWithItsOrigin) {
  sources_.env = {{"DATABASE_CONNECT_WAIT", "soon"}, {"POLICY_URL", "policy:8181"}};
  const std::string path = Write("bad.ini",
                                 "[database]\n"
                                 "peewee_url = mysql://u:secret@h/db\n"
                                 "connect_attempts = many\n"
                                 "[delivery]\n"
                                 "jitter = 1.5\n"
                                 "retries = 3\n"
                                 "[colour]\n"
                                 "x = 1\n");
  sources_.config_path = path;
  sources_.port = 70000;
  Status status = LoadConfig(sources_).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "invalid configuration (8 problems):\n"
            "  " + path + ":7: unknown section [colour] (expected DEFAULT, notifications, "
            "database, celery, delivery, or CherryPy's global and /)\n"
            "  " + path + ":6: unknown key 'retries' in [delivery] (known keys: retry_schedule, "
            "jitter, policy_timeout, target_timeout, max_in_flight_per_target, workers, "
            "max_body_bytes, response_body_limit)\n"
            "  env POLICY_URL: [notifications] policy_url: 'policy:8181' is not an absolute "
            "http:// or https:// URL (leave it empty for no policy check)\n"
            "  " + path + ":2: [database] peewee_url: database URL 'mysql://u:****@h/db': "
            "unsupported scheme 'mysql' (expected sqlite, sqliteext, postgres or postgresql)\n"
            "  " + path + ":3: [database] connect_attempts: 'many' is not a whole number\n"
            "  env DATABASE_CONNECT_WAIT: [database] connect_wait: 'soon' is not a number "
            "(seconds)\n"
            "  " + path + ":5: [delivery] jitter: '1.5' is out of range (0 to 1)\n"
            "  flag --port: server.socket_port: '70000' is out of range (0 to 65535)");
}

}  // namespace
}  // namespace pn
