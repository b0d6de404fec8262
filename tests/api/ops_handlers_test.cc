// The endpoints added for operators and the dashboard: /eventmatch/<uuid>/deliveries,
// /eventmatch/test, /openapi.json, and the router rules they rely on (longest path wins,
// `path/<id>/<suffix>` resources).
#include <gtest/gtest.h>

#include "../fakes/memory_store.h"
#include "api/deliveries_handler.h"
#include "api/error_response.h"
#include "api/eventmatch_handler.h"
#include "api/openapi.h"
#include "api/router.h"
#include "api/subscription_service.h"
#include "api/test_jsonpath_handler.h"
#include "common/time_format.h"
#include "json/json.h"

namespace pn::api {
namespace {

constexpr char kSub[] = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
constexpr char kEvent[] = "11111111-2222-4333-8444-555555555555";
constexpr char kDelivery[] = "99999999-8888-4777-8666-555555555555";

class OpsHandlersTest : public ::testing::Test {
 protected:
  OpsHandlersTest() : clock_(Timestamp(std::chrono::seconds(1'700'000'000))), service_(store_, clock_, random_) {
    IdentityOptions identity;
    AddEventmatchResource(router_, service_, ApiOptions{identity, false});
    AddTestJsonpathResource(router_);
    AddDeliveriesResource(router_, service_, store_, store_, identity);
    EXPECT_TRUE(AddOpenApiResource(router_, "X-Remote-User").ok());
  }

  void AddSubscription(std::string user) {
    Subscription s;
    s.uuid = kSub;
    s.name = "mine";
    s.jsonpath = "$.type";
    s.user = std::move(user);
    s.target_url = "http://target/hook";
    s.created = s.updated = clock_.Now();
    ASSERT_TRUE(store_.Insert(s).ok());
  }

  // One stored event with one delivery that had one failed attempt and waits for a retry.
  void AddDeliveryWithAttempt() {
    NewEvent e;
    e.event.uuid = kEvent;
    e.event.jsondata = R"({"type": "t", "id": "e1"})";
    e.event.created = clock_.Now();
    Delivery d;
    d.uuid = kDelivery;
    d.event_uuid = kEvent;
    d.subscription_uuid = kSub;
    d.next_attempt_at = d.created = d.updated = clock_.Now();
    e.deliveries.push_back(d);
    ASSERT_TRUE(store_.Append(std::span<const NewEvent>(&e, 1)).ok());
    DeliveryAttempt a;
    a.delivery_uuid = kDelivery;
    a.number = 1;
    a.started = clock_.Now();
    a.duration = std::chrono::microseconds(1500);
    a.target_status = 503;
    a.target_body = "busy";
    d.attempts = 1;
    d.target_status_code = "503";
    d.next_attempt_at = clock_.Now() + std::chrono::seconds(5);
    ASSERT_TRUE(store_.RecordAttempt(d, a, std::nullopt).ok());
  }

  http::Response Call(std::string method, std::string path, std::string body = "",
                      std::string user = "alice") {
    http::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.body = std::move(body);
    req.headers.Add("Http-Remote-User", std::move(user));
    http::Response out;
    router_.Handle(std::move(req), [&](http::Response r) { out = std::move(r); });
    return out;
  }

  static Json Body(const http::Response& r) {
    auto j = ParseJson(r.body);
    return j.ok() ? *j : Json("<not json: " + r.body + ">");
  }

  ManualClock clock_;
  SeededRandom random_{7};
  testing::MemoryStore store_;
  SubscriptionService service_;
  Router router_;
};

TEST_F(OpsHandlersTest, DeliveriesListsEachDeliveryWithItsEventAndAttempts) {
  AddSubscription("alice");
  AddDeliveryWithAttempt();
  auto r = Call("GET", std::string("/eventmatch/") + kSub + "/deliveries");
  ASSERT_EQ(r.status, 200) << r.body;
  Json list = Body(r);
  ASSERT_EQ(list.size(), 1u);
  const Json& d = list[0];
  EXPECT_EQ(d["uuid"], kDelivery);
  EXPECT_EQ(d["state"], "pending");
  EXPECT_EQ(d["attempt_count"], 1);
  EXPECT_EQ(d["next_attempt_at"], FormatIsoTimestamp(clock_.Now() + std::chrono::seconds(5)));
  EXPECT_EQ(d["event"], Json::parse(R"({"type": "t", "id": "e1"})"));
  ASSERT_EQ(d["attempts"].size(), 1u);
  EXPECT_EQ(d["attempts"][0]["target_status"], 503);
  EXPECT_EQ(d["attempts"][0]["target_body"], "busy");
  EXPECT_EQ(d["attempts"][0]["policy_status"], nullptr);
  EXPECT_EQ(d["attempts"][0]["duration_ms"], 1.5);
}

TEST_F(OpsHandlersTest, DeliveriesOfASubscriptionWithoutEventsIsAnEmptyList) {
  AddSubscription("alice");
  auto r = Call("GET", std::string("/eventmatch/") + kSub + "/deliveries");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[]");
}

TEST_F(OpsHandlersTest, DeliveriesOfSomeoneElsesSubscriptionAreForbidden) {
  AddSubscription("bob");
  AddDeliveryWithAttempt();
  auto r = Call("GET", std::string("/eventmatch/") + kSub + "/deliveries");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Body(r)["status"], "403 Forbidden");
}

TEST_F(OpsHandlersTest, DeliveriesOfAMalformedUuidIsABadRequest) {
  auto r = Call("GET", "/eventmatch/nope/deliveries");
  EXPECT_EQ(r.status, 400);
}

TEST_F(OpsHandlersTest, DeliveriesAcceptsTheUuidWithoutDashesInUpperCase) {
  AddSubscription("alice");
  AddDeliveryWithAttempt();
  auto r = Call("GET", "/eventmatch/3FA85F6457174562B3FC2C963F66AFA6/deliveries");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).size(), 1u);
}

TEST_F(OpsHandlersTest, DeliveriesAnswers405ForPost) {
  auto r = Call("POST", std::string("/eventmatch/") + kSub + "/deliveries", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("Allow"), "GET, HEAD");
}

TEST_F(OpsHandlersTest, OtherSubPathsOfASubscriptionStayUnknown) {
  auto r = Call("GET", std::string("/eventmatch/") + kSub + "/attempts");
  EXPECT_EQ(r.status, 404);
}

TEST_F(OpsHandlersTest, PlainEventmatchRoutesStillWork) {
  AddSubscription("alice");
  EXPECT_EQ(Call("GET", std::string("/eventmatch/") + kSub).status, 200);
  EXPECT_EQ(Call("GET", "/eventmatch").status, 200);
}

TEST_F(OpsHandlersTest, TestEndpointIsNotTakenForASubscriptionId) {
  auto r = Call("POST", "/eventmatch/test", R"({"jsonpath": "$.a", "event": {"a": 1}})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Call("GET", "/eventmatch/test").status, 405);
}

TEST(TestJsonpath, ReportsWhatTheExpressionSelects) {
  auto r = TestJsonpath(R"({"jsonpath": "$.data[*].key", "event": {"data": [{"key": "a"}, {"key": 2}]}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(DumpCompact(*r),
            R"({"jsonpath":"$[\"data\"][*][\"key\"]","matches":true,"results":[{"path":"$[\"data\"][0][\"key\"]","value":"a"},{"path":"$[\"data\"][1][\"key\"]","value":2}],"error":null})");
}

TEST(TestJsonpath, NoResultIsNoMatch) {
  auto r = TestJsonpath(R"({"jsonpath": "$.missing", "event": {}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["matches"], false);
  EXPECT_EQ((*r)["results"], Json::array());
}

TEST(TestJsonpath, EvaluationErrorIsReportedAsNoMatch) {
  auto r = TestJsonpath(R"({"jsonpath": "$.a[::0]", "event": {"a": [1]}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["matches"], false);
  EXPECT_TRUE((*r)["error"].is_string());
}

TEST(TestJsonpath, SyntaxErrorIsInvalidArgumentWithPosition) {
  auto r = TestJsonpath(R"({"jsonpath": "$.", "event": {}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.status().message().starts_with("invalid jsonpath: jsonpath syntax error at position"))
      << r.status().message();
}

TEST(TestJsonpath, MissingEventIsInvalidArgument) {
  auto r = TestJsonpath(R"({"jsonpath": "$"})");
  EXPECT_EQ(r.status(), InvalidArgumentError("'event' is required: the event (any JSON) to evaluate against"));
}

TEST(TestJsonpath, NonStringJsonpathIsInvalidArgument) {
  auto r = TestJsonpath(R"({"jsonpath": 3, "event": {}})");
  EXPECT_EQ(r.status(), InvalidArgumentError("'jsonpath' is required and must be a string"));
}

TEST(TestJsonpath, BodyThatIsNotJsonIsInvalidArgument) {
  auto r = TestJsonpath("{");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().message().starts_with("the request body is not valid JSON: "));
}

TEST(TestJsonpath, BodyThatIsNotAnObjectIsInvalidArgument) {
  auto r = TestJsonpath("[]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(OpsHandlersTest, OpenApiIsServedWithThisVersionAndTheConfiguredUserHeader) {
  auto r = Call("GET", "/openapi.json");
  ASSERT_EQ(r.status, 200);
  Json doc = Body(r);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["info"]["version"], std::string(ServiceVersion()));
  EXPECT_EQ(doc["components"]["parameters"]["User"]["name"], "X-Remote-User");
}

TEST(OpenApi, DescribesEveryRouteTheServerServes) {
  auto doc = OpenApiDocument("Http-Remote-User");
  ASSERT_TRUE(doc.ok());
  Json paths = Json::parse(*doc)["paths"];
  for (const char* p : {"/eventmatch", "/eventmatch/{event_uuid}", "/eventmatch/{event_uuid}/deliveries",
                        "/eventmatch/test", "/receive", "/health", "/metrics", "/openapi.json", "/ui"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
}

}  // namespace
}  // namespace pn::api
