// Black-box: the built pacifica-notifications binary on a temp SQLite database, walking every
// row of DESIGN §4's table plus start-up and stop behaviour.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "api_server_process.h"
#include "fakes/http_test_client.h"
#include "json/json.h"

namespace pn::e2e {
namespace {

using pn::testing::HttpTestClient;
using pn::testing::RawHttpConnection;
using pn::testing::TestResponse;

constexpr char kBody[] =
    R"({"name": "n1", "jsonpath": "$.data", "target_url": "http://127.0.0.1:9/ok"})";

class ApiE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start()) << server_.output();
    client_ = std::make_unique<HttpTestClient>(server_.port());
  }
  void TearDown() override {
    client_.reset();
    EXPECT_EQ(server_.Terminate(), 0) << server_.output();
  }

  TestResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& user = "alice") {
    auto r = client_->Send(method, target, body, {"Http-Remote-User: " + user});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : TestResponse{};
  }
  std::string Create(const std::string& user = "alice") {
    auto r = Send("POST", "/eventmatch", kBody, user);
    EXPECT_EQ(r.status, 200) << r.body;
    return (*ParseJson(r.body))["uuid"].get<std::string>();
  }
  static std::string Message(const TestResponse& r) {
    auto j = ParseJson(r.body);
    return j.ok() && j->is_object() && j->contains("message") ? (*j)["message"].get<std::string>()
                                                               : "<not an error body: " + r.body + ">";
  }

  ServerProcess server_;
  std::unique_ptr<HttpTestClient> client_;
};

TEST_F(ApiE2eTest, PostCreatesWithTheOriginalsKeyOrder) {
  auto r = Send("POST", "/eventmatch", kBody);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  auto j = *ParseJson(r.body);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"uuid", "name", "jsonpath", "user", "disabled",
                                            "error", "target_url", "version", "extensions", "auth",
                                            "created", "updated", "deleted"}));
  EXPECT_EQ(j["user"], "alice");
  EXPECT_NE(r.body.find(R"("disabled": null, "error": null)"), std::string::npos);
}

TEST_F(ApiE2eTest, PostMalformedRequestsAre400WithMessages) {
  struct Case {
    std::string body;
    std::string message_start;
  };
  std::vector<Case> cases{
      {"{", "request body: invalid JSON"},
      {R"({"name": 1, "jsonpath": "$", "target_url": "http://h/"})",
       "'name' must be a string, got a number"},
      {R"({"jsonpath": "$"})", "missing required fields 'name', 'target_url'"},
      {R"({"name": "n", "jsonpath": "data", "target_url": "http://h/"})",
       "'jsonpath' does not parse: "},
      {R"({"name": "n", "jsonpath": "$", "target_url": "http://h/", "auth": {"type": "bearer"}})",
       "'auth.type' must be \"basic\" or \"header\", got \"bearer\""},
      {R"({"name": "n", "jsonpath": "$", "target_url": "http://h/",
           "auth": {"type": "basic", "basic": {"username": "u"}}})",
       "'auth.basic.password' is required"},
      {R"({"name": "n", "jsonpath": "$", "target_url": "http://h/",
           "auth": {"type": "header", "header": {"type": "Bearer"}}})",
       "'auth.header.credentials' is required"},
      {R"({"name": "n", "jsonpath": "$", "target_url": "mailto:x@y"})",
       "'target_url' must be an absolute http:// or https:// URL"},
  };
  for (const auto& c : cases) {
    auto r = Send("POST", "/eventmatch", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json");
    EXPECT_TRUE(Message(r).starts_with(c.message_start)) << Message(r);
  }
  EXPECT_EQ(Send("GET", "/eventmatch").body, "[]");  // nothing was stored
}

TEST_F(ApiE2eTest, PostIgnoresServerManagedFields) {
  auto r = Send("POST", "/eventmatch",
                R"({"name": "n", "jsonpath": "$", "target_url": "http://h/", "user": "bob",
                    "uuid": "00000000-0000-4000-8000-000000000000", "deleted": "2001-01-01"})");
  ASSERT_EQ(r.status, 200);
  auto j = *ParseJson(r.body);
  EXPECT_EQ(j["user"], "alice");
  EXPECT_NE(j["uuid"], "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(j["deleted"], nullptr);
}

TEST_F(ApiE2eTest, ListIsEmptyArrayThenTheCallersOwn) {
  EXPECT_EQ(Send("GET", "/eventmatch").body, "[]");
  std::string mine = Create("alice");
  Create("bob");
  auto j = *ParseJson(Send("GET", "/eventmatch").body);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["uuid"], mine);
}

TEST_F(ApiE2eTest, GetOneAcceptsAnyUuidSpellingAndAnswersCanonical) {
  std::string uuid = Create();
  std::string upper_hex;
  for (char c : uuid) {
    if (c != '-') upper_hex.push_back(static_cast<char>(std::toupper(c)));
  }
  auto r = Send("GET", "/eventmatch/" + upper_hex);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ((*ParseJson(r.body))["uuid"], uuid);
}

TEST_F(ApiE2eTest, UnknownForeignAndDeletedAre403MalformedIs400) {
  std::string uuid = Create("alice");
  EXPECT_EQ(Send("GET", "/eventmatch/" + uuid, "", "bob").status, 403);
  EXPECT_EQ(Send("GET", "/eventmatch/00000000-0000-4000-8000-000000000000").status, 403);
  auto bad = Send("GET", "/eventmatch/xyz");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Message(bad).starts_with("'xyz' is not a valid subscription uuid"));
  ASSERT_EQ(Send("DELETE", "/eventmatch/" + uuid).status, 200);
  EXPECT_EQ(Send("GET", "/eventmatch/" + uuid).status, 403);
}

TEST_F(ApiE2eTest, PutIsAPartialUpdateAndReEnables) {
  auto created = Send("POST", "/eventmatch",
                      R"({"name": "n", "jsonpath": "$", "target_url": "http://h/",
                          "extensions": {"k": "v"},
                          "auth": {"type": "basic", "basic": {"username": "u", "password": "p"}}})");
  std::string uuid = (*ParseJson(created.body))["uuid"].get<std::string>();
  auto r = Send("PUT", "/eventmatch/" + uuid, R"({"target_url": "https://other/"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = *ParseJson(r.body);
  EXPECT_EQ(j["target_url"], "https://other/");
  EXPECT_EQ(j["extensions"]["k"], "v");
  EXPECT_EQ(j["auth"]["basic"]["password"], "p");
  auto enabled = Send("PUT", "/eventmatch/" + uuid, R"({"disabled": null, "error": null})");
  EXPECT_EQ(enabled.status, 200);
  auto moved = Send("PUT", "/eventmatch/" + uuid, R"({"user": "bob"})");
  EXPECT_EQ(moved.status, 400);
  EXPECT_TRUE(Message(moved).starts_with("'user' cannot be changed"));
}

TEST_F(ApiE2eTest, DeleteAnswersEmptyBody) {
  std::string uuid = Create();
  auto r = Send("DELETE", "/eventmatch/" + uuid);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
}

TEST_F(ApiE2eTest, ReceiveAnswersTheStoredEventUuid) {
  auto r = Send("POST", "/receive", R"({"specversion": "1.0", "id": "1", "source": "s",
                                          "type": "t", "data": {}})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.size(), 36u) << r.body;
  EXPECT_EQ(Send("POST", "/receive", "[1, 2").status, 400);
}

TEST_F(ApiE2eTest, HealthIsOk) {
  auto r = Send("GET", "/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status": "ok"})");
}

TEST_F(ApiE2eTest, AnythingElseIs404Or405WithTheJsonErrorBody) {
  auto unknown = Send("GET", "/nothing");
  EXPECT_EQ(unknown.status, 404);
  auto j = *ParseJson(unknown.body);
  EXPECT_EQ(j["status"], "404 Not Found");
  EXPECT_EQ(j["traceback"], "");
  EXPECT_TRUE(j["version"].is_string());
  auto patch = Send("PATCH", "/eventmatch", "{}");
  EXPECT_EQ(patch.status, 405);
  EXPECT_EQ(patch.Header("Allow"), "DELETE, GET, HEAD, POST, PUT");
}

TEST_F(ApiE2eTest, HeadHasNoBody) {
  std::string uuid = Create();
  auto get = Send("GET", "/eventmatch/" + uuid);
  auto head = Send("HEAD", "/eventmatch/" + uuid);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
}

TEST_F(ApiE2eTest, PostWithoutLengthIs411) {
  auto conn = RawHttpConnection::Connect(server_.port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST /eventmatch HTTP/1.1\r\nHost: t\r\n\r\n").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 411);
  EXPECT_EQ(Message(*r), "Client must specify Content-Length");
}

TEST_F(ApiE2eTest, BodyOverTheLimitIs413) {
  auto r = Send("POST", "/receive", std::string(10 * 1024 * 1024 + 1, ' '));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Message(r), "the request body exceeds the limit of 10485760 bytes");
}

TEST_F(ApiE2eTest, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 10; ++i) Send("GET", "/health");
  EXPECT_EQ(client_->connections_opened(), 1);
}

TEST_F(ApiE2eTest, OneLogLinePerRequest) {
  Send("GET", "/eventmatch", "", "zed");
  EXPECT_NE(server_.output().find("method=GET path=/eventmatch status=200"), std::string::npos)
      << server_.output();
  EXPECT_NE(server_.output().find("user=zed"), std::string::npos);
}

TEST(ApiE2eStartTest, WarnsThatThePolicyCheckIsOff) {
  ServerProcess server;
  ASSERT_TRUE(server.Start()) << server.output();
  EXPECT_NE(server.output().find("policy_url is empty"), std::string::npos) << server.output();
  EXPECT_EQ(server.Terminate(), 0);
  EXPECT_NE(server.output().find("received SIGTERM"), std::string::npos);
}

TEST(ApiE2eStartTest, SubscriptionsSurviveARestart) {
  ServerProcess server;
  ASSERT_TRUE(server.Start()) << server.output();
  {
    HttpTestClient client(server.port());
    ASSERT_EQ(client.Send("POST", "/eventmatch", kBody)->status, 200);
  }
  ASSERT_EQ(server.Terminate(), 0);
  ASSERT_TRUE(server.Start()) << server.output();
  HttpTestClient client(server.port());
  auto list = ParseJson(client.Get("/eventmatch")->body);
  EXPECT_EQ(list->size(), 1u);
  EXPECT_EQ(server.Terminate(), 0);
}

TEST(ApiE2eStartTest, RefusesAnOutOfDateDatabaseNamingDbsync) {
  ServerProcess server;
  sqlite3* db = nullptr;
  std::string path = server.dir() + "/notifications.db";
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE \"notificationsystem\" (\"part\" VARCHAR(255) NOT NULL "
                         "PRIMARY KEY, \"value\" INTEGER NOT NULL);"
                         "INSERT INTO notificationsystem VALUES ('major', 3), ('minor', 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_FALSE(server.Start());
  EXPECT_EQ(server.WaitForExit(), 1);
  EXPECT_NE(server.output().find("pacifica-notifications-cmd dbsync"), std::string::npos)
      << server.output();
}

TEST(ApiE2eStartTest, BadConfigurationStopsStartUp) {
  ServerProcess server;
  EXPECT_FALSE(server.Start({}, {{"PEEWEE_URL", "mysql://nope"}}));
  EXPECT_EQ(server.WaitForExit(), 1);
  EXPECT_NE(server.output().find("invalid configuration"), std::string::npos) << server.output();
}

TEST(ApiE2eStartTest, HelpExplainsTheOptions) {
  ServerProcess server;
  EXPECT_FALSE(server.Start({"--help"}, {}, /*raw_args=*/true));
  EXPECT_EQ(server.WaitForExit(), 0);
  for (const char* option : {"--config", "--cpconfig", "--port", "--address"}) {
    EXPECT_NE(server.output().find(option), std::string::npos) << option;
  }
}

TEST(ApiE2eStartTest, UnknownOptionIsAUsageError) {
  ServerProcess server;
  EXPECT_FALSE(server.Start({"--bogus"}, {}, /*raw_args=*/true));
  EXPECT_EQ(server.WaitForExit(), 2);
}

}  // namespace
}  // namespace pn::e2e
