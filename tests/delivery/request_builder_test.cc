// Request building: policy URL and body, extensions merge (upstream §3.4), auth, content types.
#include "delivery/request_builder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace pn::delivery {
namespace {

using std::chrono::seconds;

Json J(std::string_view text) {
  auto r = ParseJson(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Json();
}

Subscription Sub(std::string_view extensions = "{}", std::string_view auth = "{}") {
  Subscription s;
  s.uuid = "5a4c6f0e-2c3b-4d5e-8f90-1a2b3c4d5e6f";
  s.user = "alice";
  s.target_url = "http://target.example:9000/receive";
  s.extensions = J(extensions);
  s.auth = J(auth);
  return s;
}

std::optional<std::string> HeaderOf(const outbound::OutboundRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (outbound::HeaderNameEquals(k, name)) return v;
  }
  return std::nullopt;
}

TEST(PercentEncodeTest, EncodesSpaceSlashPercentAndNonAscii) {
  EXPECT_EQ(PercentEncodePathSegment("a b/c"), "a%20b%2Fc");
  EXPECT_EQ(PercentEncodePathSegment("100%"), "100%25");
  EXPECT_EQ(PercentEncodePathSegment("jos\xC3\xA9"), "jos%C3%A9");
  EXPECT_EQ(PercentEncodePathSegment("q?x#y"), "q%3Fx%23y");
}

TEST(PercentEncodeTest, KeepsUnreservedSubDelimsColonAndAt) {
  EXPECT_EQ(PercentEncodePathSegment("user.name-1_~@example.com"), "user.name-1_~@example.com");
  EXPECT_EQ(PercentEncodePathSegment("a+b=c;d:e!"), "a+b=c;d:e!");
}

TEST(PolicyRequestTest, JoinsUrlWithoutDoubleSlash) {
  EXPECT_EQ(PolicyUrl("http://policy:8181/", "dmlb2001"), "http://policy:8181/events/dmlb2001");
  EXPECT_EQ(PolicyUrl("http://policy:8181", "dmlb2001"), "http://policy:8181/events/dmlb2001");
  EXPECT_EQ(PolicyUrl("http://policy:8181/api//", "a b"), "http://policy:8181/api/events/a%20b");
}

TEST(PolicyRequestTest, PostsTheStoredEventAsJson) {
  std::string event = R"({"eventID": "1", "data": [1, 2]})";
  outbound::OutboundRequest r = BuildPolicyRequest("http://policy:8181", "bob", event, seconds(10));
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://policy:8181/events/bob");
  EXPECT_EQ(r.body, event);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/json");
  EXPECT_EQ(r.timeout, seconds(10));
  EXPECT_EQ(HeaderOf(r, "Authorization"), std::nullopt);
}

TEST(MergeExtensionsTest, AppendsExtensionsWhenTheEventHasNone) {
  Json event = J(R"({"a": 1, "b": 2})");
  ASSERT_TRUE(MergeExtensions(event, J(R"({"k": "v"})")).ok());
  EXPECT_EQ(DumpPython(event), R"({"a": 1, "b": 2, "extensions": {"k": "v"}})");
}

TEST(MergeExtensionsTest, AppendsEmptyExtensionsWhenBothAreEmpty) {
  Json event = J(R"({"a": 1})");
  ASSERT_TRUE(MergeExtensions(event, Json::object()).ok());
  EXPECT_EQ(DumpPython(event), R"({"a": 1, "extensions": {}})");
}

TEST(MergeExtensionsTest, SubscriptionKeysWinExistingKeepPositionNewAppended) {
  Json event = J(R"({"extensions": {"x": 1, "y": 2}, "z": 0})");
  ASSERT_TRUE(MergeExtensions(event, J(R"({"y": "sub", "w": true})")).ok());
  EXPECT_EQ(DumpPython(event), R"({"extensions": {"x": 1, "y": "sub", "w": true}, "z": 0})");
}

TEST(MergeExtensionsTest, NullEventExtensionsIsAnError) {
  Json event = J(R"({"extensions": null})");
  EXPECT_EQ(MergeExtensions(event, Json::object()),
            InvalidArgumentError(
                "cannot merge extensions: the event's extensions is a JSON null, not an object"));
}

TEST(MergeExtensionsTest, StringEventExtensionsIsAnError) {
  Json event = J(R"({"extensions": "x"})");
  EXPECT_EQ(MergeExtensions(event, Json::object()),
            InvalidArgumentError(
                "cannot merge extensions: the event's extensions is a JSON string, not an object"));
}

TEST(MergeExtensionsTest, NonObjectEventIsAnError) {
  Json event = J(R"("just a string")");
  EXPECT_EQ(MergeExtensions(event, Json::object()),
            InvalidArgumentError("cannot merge extensions: the event is a JSON string, not an "
                                 "object"));
}

TEST(MergeExtensionsTest, NonObjectSubscriptionExtensionsIsAnError) {
  Json event = J(R"({})");
  EXPECT_EQ(MergeExtensions(event, J("[1]")),
            InvalidArgumentError("cannot merge extensions: the subscription's extensions is a "
                                 "JSON array, not an object"));
}

TEST(AuthTest, BasicEncodesUsernameAndPassword) {
  EXPECT_EQ(*AuthorizationFor(J(R"({"type": "basic", "basic": {"username": "Aladdin",
                                    "password": "open sesame"}})")),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST(AuthTest, BasicWithoutCredentialsSendsAColon) {
  EXPECT_EQ(*AuthorizationFor(J(R"({"type": "basic"})")), "Basic Og==");
}

TEST(AuthTest, BasicUsesLatin1LikeTheOriginal) {
  EXPECT_EQ(BasicAuthorization("us\xC3\xA9r", "pw"), "Basic dXPpcjpwdw==");
}

TEST(AuthTest, BasicBeyondLatin1SendsUtf8Bytes) {
  EXPECT_EQ(BasicAuthorization("\xE7\x94\xA8\xE6\x88\xB7", "pw"), "Basic 55So5oi3OnB3");
}

TEST(AuthTest, HeaderJoinsTypeAndCredentialsWithOneSpace) {
  EXPECT_EQ(*AuthorizationFor(J(R"({"type": "header", "header": {"type": "Bearer",
                                    "credentials": "tok"}})")),
            "Bearer tok");
}

TEST(AuthTest, HeaderWithMissingPartsIsEmptyAroundTheSpace) {
  EXPECT_EQ(*AuthorizationFor(J(R"({"type": "header"})")), " ");
}

TEST(AuthTest, EmptyOrUnknownAuthSendsNoHeader) {
  EXPECT_EQ(*AuthorizationFor(Json::object()), "");
  EXPECT_EQ(*AuthorizationFor(J(R"({"type": "bearer"})")), "");
}

TEST(AuthTest, NonStringCredentialIsAnError) {
  EXPECT_EQ(AuthorizationFor(J(R"({"type": "basic", "basic": {"username": 5}})")).status(),
            InvalidArgumentError("subscription auth.basic.username must be a string, not number"));
}

TEST(TargetRequestTest, CloudEvents10GetsCloudEventsContentType) {
  auto r = BuildTargetRequest(Sub(), R"({"specversion": "1.0", "id": "1"})", seconds(30));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(HeaderOf(*r, "Content-Type"), "application/cloudevents+json; charset=utf-8");
}

TEST(TargetRequestTest, CloudEvents01AndPlainJsonGetApplicationJson) {
  std::ifstream in(std::string(PN_TESTDATA_DIR) + "/events/example-ingest-event.json");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  auto ce01 = BuildTargetRequest(Sub(), text.str(), seconds(30));
  ASSERT_TRUE(ce01.ok()) << ce01.status().ToString();
  EXPECT_EQ(HeaderOf(*ce01, "Content-Type"), "application/json");
  auto plain = BuildTargetRequest(Sub(), R"({"specversion": 1.0})", seconds(30));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(HeaderOf(*plain, "Content-Type"), "application/json");
}

TEST(TargetRequestTest, PostsMergedEventWithAuthToTargetUrl) {
  Subscription s = Sub(R"({"from": "sub"})",
                       R"({"type": "header", "header": {"type": "Token", "credentials": "abc"}})");
  auto r =
      BuildTargetRequest(s, R"({"eventID": "e1", "extensions": {"from": "event"}})", seconds(7));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->url, "http://target.example:9000/receive");
  EXPECT_EQ(r->body, R"({"eventID": "e1", "extensions": {"from": "sub"}})");
  EXPECT_EQ(HeaderOf(*r, "Authorization"), "Token abc");
  EXPECT_EQ(r->timeout, seconds(7));
}

TEST(TargetRequestTest, UnmergeableEventIsAnErrorNotACrash) {
  auto r = BuildTargetRequest(Sub(), R"([1, 2])", seconds(30));
  EXPECT_EQ(r.status(),
            InvalidArgumentError("cannot merge extensions: the event is a JSON array, not an "
                                 "object"));
}

TEST(TargetRequestTest, InvalidStoredJsonIsAnError) {
  auto r = BuildTargetRequest(Sub(), "{nope", seconds(30));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("the stored event is not valid JSON: ", 0), 0u);
}

}  // namespace
}  // namespace pn::delivery
