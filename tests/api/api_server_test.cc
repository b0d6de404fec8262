// The subscription API over loopback: real server, real HTTP client, in-memory store.
// Walks DESIGN §4's table.
#include <gtest/gtest.h>

#include "api/error_response.h"
#include "api/eventmatch_handler.h"
#include "api/router.h"
#include "common/time_format.h"
#include "common/uuid.h"
#include "fakes/http_test_client.h"
#include "fakes/memory_store.h"
#include "http/server.h"

namespace pn::api {
namespace {

using pn::testing::HttpTestClient;
using pn::testing::TestResponse;

constexpr char kBody[] =
    R"({"name": "n1", "jsonpath": "$.data", "target_url": "http://127.0.0.1:28580/ok"})";

std::string ErrorBody(int status, std::string_view reason, std::string_view message) {
  return "{\"status\": \"" + std::to_string(status) + " " + std::string(reason) +
         "\", \"message\": \"" + std::string(message) + "\", \"traceback\": \"\", \"version\": \"" +
         std::string(ServiceVersion()) + "\"}";
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(ApiOptions{}); }

  void Start(ApiOptions options, size_t max_body = 1 << 20) {
    server_.reset();
    router_ = std::make_unique<Router>();
    AddEventmatchResource(*router_, service_, options);
    AddHealthResource(*router_, [this] { return store_.Ping(); });
    http::ServerOptions server_options;
    server_options.max_body_bytes = max_body;
    server_options.error_response = [](int status, std::string_view message) {
      return ErrorResponse(status, message);
    };
    auto server = http::Server::Start(server_options, router_->AsHandler());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    client_ = std::make_unique<HttpTestClient>(server_->port());
  }

  TestResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& user = "alice") {
    std::vector<std::string> headers;
    if (!user.empty()) headers.push_back("Http-Remote-User: " + user);
    auto r = client_->Send(method, target, body, headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : TestResponse{};
  }

  std::string Create(const std::string& user = "alice", const std::string& body = kBody) {
    auto r = Send("POST", "/eventmatch", body, user);
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = ParseJson(r.body);
    return j.ok() ? (*j)["uuid"].get<std::string>() : "";
  }

  Timestamp t0_ = *ParseTimestamp("2026-11-29T05:50:17.807933");
  pn::testing::MemoryStore store_;
  ManualClock clock_{t0_};
  SeededRandom random_{7};
  SubscriptionService service_{store_, clock_, random_};
  std::unique_ptr<Router> router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<HttpTestClient> client_;
};

TEST_F(ApiServerTest, PostAnswersTheSubscriptionInTheOriginalsKeyOrder) {
  SeededRandom same(7);
  std::string uuid = NewUuid4(same);
  auto r = Send("POST", "/eventmatch", kBody);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.body, "{\"uuid\": \"" + uuid +
                        R"(", "name": "n1", "jsonpath": "$.data", "user": "alice", )"
                        R"("disabled": null, "error": null, "target_url": )"
                        R"("http://127.0.0.1:28580/ok", "version": "v0.1", "extensions": {}, )"
                        R"("auth": {}, "created": "2026-11-29T05:50:17.807933", )"
                        R"("updated": "2026-11-29T05:50:17.807933", "deleted": null})");
}

TEST_F(ApiServerTest, PostIgnoresServerManagedFields) {
  auto r = Send("POST", "/eventmatch",
                R"({"name": "n", "jsonpath": "$", "target_url": "http://h/", "user": "mallory",
                    "uuid": "00000000-0000-4000-8000-000000000000", "created": "2001-01-01",
                    "updated": "2001-01-01", "deleted": "2001-01-01"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = *ParseJson(r.body);
  EXPECT_EQ(j["user"], "alice");
  EXPECT_NE(j["uuid"], "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(j["created"], "2026-11-29T05:50:17.807933");
  EXPECT_EQ(j["deleted"], nullptr);
}

TEST_F(ApiServerTest, PostWithBadJsonIs400WithTheErrorBody) {
  auto r = Send("POST", "/eventmatch", "{\"name\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  auto j = *ParseJson(r.body);
  EXPECT_EQ(j["status"], "400 Bad Request");
  EXPECT_EQ(j["message"], "request body: " + ParseJson("{\"name\": ").status().message());
}

TEST_F(ApiServerTest, PostWithMissingFieldsIs400) {
  auto r = Send("POST", "/eventmatch", R"({"name": "n"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, ErrorBody(400, "Bad Request",
                              "missing required fields 'jsonpath', 'target_url'"));
}

TEST_F(ApiServerTest, PostWithUnparsableJsonpathIs400AndStoresNothing) {
  auto r = Send("POST", "/eventmatch",
                R"({"name": "n", "jsonpath": "data", "target_url": "http://h/"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(store_.ListForUser("alice")->empty());
}

TEST_F(ApiServerTest, PostWithIdIs404) {
  auto r = Send("POST", "/eventmatch/x", kBody);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, ErrorBody(404, "Not Found", "Nothing matches the given URI"));
}

TEST_F(ApiServerTest, EmptyListIsAnEmptyArray) {
  auto r = Send("GET", "/eventmatch");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[]");
}

TEST_F(ApiServerTest, ListHasOnlyTheCallersSubscriptions) {
  std::string a = Create("alice");
  Create("bob");
  auto r = Send("GET", "/eventmatch");
  auto j = *ParseJson(r.body);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["uuid"], a);
}

TEST_F(ApiServerTest, GetOneByPathOrQuery) {
  std::string uuid = Create();
  auto by_path = Send("GET", "/eventmatch/" + UuidHex(uuid));
  auto by_query = Send("GET", "/eventmatch?event_uuid=" + uuid);
  EXPECT_EQ(by_path.status, 200);
  EXPECT_EQ(by_path.body, by_query.body);
  EXPECT_EQ((*ParseJson(by_path.body))["uuid"], uuid);
}

TEST_F(ApiServerTest, ForeignSubscriptionIs403) {
  std::string uuid = Create("alice");
  auto r = Send("GET", "/eventmatch/" + uuid, "", "bob");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, ErrorBody(403, "Forbidden",
                              "Forbidden: subscription " + uuid +
                                  " does not exist or does not belong to user 'bob'"));
}

TEST_F(ApiServerTest, MalformedUuidIs400) {
  auto r = Send("GET", "/eventmatch/not-a-uuid");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, ErrorBody(400, "Bad Request",
                              "'not-a-uuid' is not a valid subscription uuid (expected 32 hex "
                              "digits, e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6)"));
}

TEST_F(ApiServerTest, PutUpdatesPartially) {
  std::string uuid = Create("alice", R"({"name": "n", "jsonpath": "$", "target_url": "http://h/",
      "auth": {"type": "header", "header": {"type": "Bearer", "credentials": "t"}}})");
  clock_.Advance(std::chrono::seconds(1));
  auto r = Send("PUT", "/eventmatch/" + uuid, R"({"name": "renamed"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = *ParseJson(r.body);
  EXPECT_EQ(j["name"], "renamed");
  EXPECT_EQ(j["auth"]["header"]["credentials"], "t");
  EXPECT_EQ(j["updated"], "2026-11-29T05:50:18.807933");
}

TEST_F(ApiServerTest, PutReEnables) {
  std::string uuid = Create();
  ASSERT_TRUE(store_.Disable(uuid, t0_, "gone").ok());
  auto r = Send("PUT", "/eventmatch/" + uuid, R"({"disabled": null, "error": null})");
  ASSERT_EQ(r.status, 200);
  auto j = *ParseJson(r.body);
  EXPECT_EQ(j["disabled"], nullptr);
  EXPECT_EQ(j["error"], nullptr);
}

TEST_F(ApiServerTest, PutChangingUserIs400) {
  std::string uuid = Create();
  auto r = Send("PUT", "/eventmatch/" + uuid, R"({"user": "bob"})");
  EXPECT_EQ(r.status, 400);
}

TEST_F(ApiServerTest, PutOnForeignSubscriptionIs403EvenWithABadBody) {
  std::string uuid = Create("alice");
  auto r = Send("PUT", "/eventmatch/" + uuid, "not json", "bob");
  EXPECT_EQ(r.status, 403);
}

TEST_F(ApiServerTest, PutAndDeleteWithoutIdAre404) {
  auto put = Send("PUT", "/eventmatch", "{}");
  auto del = Send("DELETE", "/eventmatch");
  EXPECT_EQ(put.body, ErrorBody(404, "Not Found", "Missing parameters: event_uuid"));
  EXPECT_EQ(del.status, 404);
}

TEST_F(ApiServerTest, DeleteAnswersAnEmptyJsonBodyAndHidesTheSubscription) {
  std::string uuid = Create();
  auto r = Send("DELETE", "/eventmatch/" + uuid);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("Content-Length"), "0");
  EXPECT_EQ(Send("GET", "/eventmatch/" + uuid).status, 403);
  EXPECT_EQ(Send("GET", "/eventmatch").body, "[]");
}

TEST_F(ApiServerTest, HeadHasGetsHeadersWithoutBody) {
  std::string uuid = Create();
  auto get = Send("GET", "/eventmatch/" + uuid);
  auto head = Send("HEAD", "/eventmatch/" + uuid);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("Allow"), "DELETE, GET, HEAD, POST, PUT");
}

TEST_F(ApiServerTest, UserHeaderNameIsCaseInsensitiveAndAbsentMeansDefaultUser) {
  auto lower = client_->Send("POST", "/eventmatch", kBody, {"http-remote-user: carol"});
  EXPECT_EQ((*ParseJson(lower->body))["user"], "carol");
  auto anonymous = Send("POST", "/eventmatch", kBody, "");
  EXPECT_EQ((*ParseJson(anonymous.body))["user"], "default_user");
}

TEST_F(ApiServerTest, EmptyUserHeaderIsTheEmptyUser) {
  auto r = client_->Send("POST", "/eventmatch", kBody, {"Http-Remote-User;"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*ParseJson(r->body))["user"], "");
}

TEST_F(ApiServerTest, ConfiguredUserHeaderAndDefaultUser) {
  ApiOptions options;
  options.identity.user_header = "X-User";
  options.identity.default_user = "nobody";
  Start(options);
  auto with = client_->Send("POST", "/eventmatch", kBody, {"x-user: dave"});
  EXPECT_EQ((*ParseJson(with->body))["user"], "dave");
  auto without = client_->Send("POST", "/eventmatch", kBody, {"Http-Remote-User: erin"});
  EXPECT_EQ((*ParseJson(without->body))["user"], "nobody");
}

TEST_F(ApiServerTest, RedactSecretsMasksCredentials) {
  ApiOptions options;
  options.redact_secrets = true;
  Start(options);
  auto r = Send("POST", "/eventmatch", R"({"name": "n", "jsonpath": "$", "target_url": "http://h/",
      "auth": {"type": "basic", "basic": {"username": "u", "password": "secret"}}})");
  auto j = *ParseJson(r.body);
  EXPECT_EQ(j["auth"]["basic"]["password"], "********");
  EXPECT_EQ(j["auth"]["basic"]["username"], "u");
  EXPECT_EQ((*store_.Find(j["uuid"].get<std::string>()))->auth["basic"]["password"], "secret");
}

TEST_F(ApiServerTest, RedactedSubscriptionPutBackKeepsItsSecret) {
  ApiOptions options;
  options.redact_secrets = true;
  Start(options);
  auto created = *ParseJson(Send("POST", "/eventmatch", R"({"name": "n", "jsonpath": "$",
      "target_url": "http://h/",
      "auth": {"type": "basic", "basic": {"username": "u", "password": "secret"}}})").body);
  const std::string uuid = created["uuid"].get<std::string>();
  // Read and written back unchanged but for the name, mask included.
  Json edited = *ParseJson(Send("GET", "/eventmatch/" + uuid).body);
  edited["name"] = "renamed";
  auto put = Send("PUT", "/eventmatch/" + uuid, DumpPython(edited));
  ASSERT_EQ(put.status, 200) << put.body;
  auto stored = *store_.Find(uuid);
  EXPECT_EQ(stored->name, "renamed");
  EXPECT_EQ(stored->auth["basic"]["password"], "secret");
  // A new secret is taken as given.
  edited["auth"]["basic"]["password"] = "changed";
  ASSERT_EQ(Send("PUT", "/eventmatch/" + uuid, DumpPython(edited)).status, 200);
  EXPECT_EQ((*store_.Find(uuid))->auth["basic"]["password"], "changed");
}

TEST_F(ApiServerTest, HealthIsOkWhileTheStoreAnswers) {
  auto r = Send("GET", "/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status": "ok"})");
}

TEST_F(ApiServerTest, HealthIs503WhenTheStoreIsDown) {
  store_.SetUnavailable(true);
  auto r = Send("GET", "/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, ErrorBody(503, "Service Unavailable",
                              "the database cannot be reached: memory store: database "
                              "unavailable"));
}

TEST_F(ApiServerTest, StoreOutageOnTheApiIs503) {
  store_.SetUnavailable(true);
  EXPECT_EQ(Send("GET", "/eventmatch").status, 503);
}

TEST_F(ApiServerTest, UnknownPathIs404AndUnknownMethodIs405) {
  auto unknown = Send("GET", "/nothing");
  EXPECT_EQ(unknown.body, ErrorBody(404, "Not Found", "Nothing matches the given URI"));
  auto patch = Send("PATCH", "/eventmatch", "{}");
  EXPECT_EQ(patch.status, 405);
  EXPECT_EQ(patch.Header("Allow"), "DELETE, GET, HEAD, POST, PUT");
  EXPECT_EQ(patch.body, ErrorBody(405, "Method Not Allowed",
                                  "Specified method is invalid for this resource"));
}

TEST_F(ApiServerTest, OversizedBodyIs413WithTheErrorBody) {
  Start(ApiOptions{}, /*max_body=*/64);
  auto r = Send("POST", "/eventmatch", std::string(65, ' '));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, ErrorBody(413, "Request Entity Too Large",
                              "the request body exceeds the limit of 64 bytes"));
}

TEST_F(ApiServerTest, CallsShareOneKeepAliveConnection) {
  Create();
  Send("GET", "/eventmatch");
  Send("GET", "/health");
  EXPECT_EQ(client_->connections_opened(), 1);
}

}  // namespace
}  // namespace pn::api
