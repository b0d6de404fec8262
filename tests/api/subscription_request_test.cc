// Request validation, with the exact messages a person sees; secrets written back redacted.
#include "api/subscription_request.h"

#include <gtest/gtest.h>

#include "jsonpath/jsonpath.h"
#include "model/subscription.h"

namespace pn::api {
namespace {

constexpr char kValid[] =
    R"({"name": "n1", "jsonpath": "$.data", "target_url": "http://127.0.0.1:8080/ok"})";

Status CreateError(std::string_view body) {
  auto r = ParseSubscriptionBody(body, BodyKind::kCreate);
  return r.ok() ? OkStatus() : r.status();
}

Status UpdateError(std::string_view body) {
  auto r = ParseSubscriptionBody(body, BodyKind::kUpdate);
  return r.ok() ? OkStatus() : r.status();
}

TEST(SubscriptionRequestTest, ValidCreateBodyGivesItsFields) {
  auto r = ParseSubscriptionBody(kValid, BodyKind::kCreate);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "n1");
  EXPECT_EQ(r->jsonpath, "$.data");
  EXPECT_EQ(r->target_url, "http://127.0.0.1:8080/ok");
  EXPECT_FALSE(r->auth.has_value());
  EXPECT_FALSE(r->extensions.has_value());
}

TEST(SubscriptionRequestTest, EmptyBody) {
  EXPECT_EQ(CreateError(""),
            InvalidArgumentError("the request body is empty; expected a JSON object"));
}

TEST(SubscriptionRequestTest, BadJson) {
  EXPECT_EQ(CreateError("{"), InvalidArgumentError("request body: " +
                                                   ParseJson("{").status().message()));
}

TEST(SubscriptionRequestTest, NotAnObject) {
  EXPECT_EQ(CreateError("[1]"),
            InvalidArgumentError("the request body must be a JSON object, got an array"));
}

TEST(SubscriptionRequestTest, MissingRequiredFieldsAreListedTogether) {
  EXPECT_EQ(CreateError("{}"),
            InvalidArgumentError("missing required fields 'name', 'jsonpath', 'target_url'"));
  EXPECT_EQ(CreateError(R"({"name": "n", "jsonpath": "$"})"),
            InvalidArgumentError("missing required field 'target_url'"));
}

TEST(SubscriptionRequestTest, UpdateNeedsNoField) {
  EXPECT_EQ(UpdateError("{}"), OkStatus());
}

TEST(SubscriptionRequestTest, WrongTypes) {
  EXPECT_EQ(CreateError(R"({"name": 5, "jsonpath": "$", "target_url": "http://h/"})"),
            InvalidArgumentError("'name' must be a string, got a number"));
  EXPECT_EQ(UpdateError(R"({"extensions": [1], "error": 3, "version": null})"),
            InvalidArgumentError("'version' must be a string, got null; 'extensions' must be a "
                                 "JSON object, got an array; 'error' must be a string or null, "
                                 "got a number"));
}

TEST(SubscriptionRequestTest, UnparsableJsonpath) {
  std::string expected =
      "'jsonpath' does not parse: " + jsonpath::Parse("data").status().message();
  EXPECT_EQ(CreateError(R"({"name": "n", "jsonpath": "data", "target_url": "http://h/"})"),
            InvalidArgumentError(expected));
}

TEST(SubscriptionRequestTest, TargetUrlMustBeAbsoluteHttp) {
  EXPECT_EQ(UpdateError(R"({"target_url": "ftp://h/x"})"),
            InvalidArgumentError("'target_url' must be an absolute http:// or https:// URL (the "
                                 "scheme must be http or https), got 'ftp://h/x'"));
  EXPECT_EQ(UpdateError(R"({"target_url": "/relative"})"),
            InvalidArgumentError("'target_url' must be an absolute http:// or https:// URL (the "
                                 "scheme must be http or https), got '/relative'"));
}

TEST(CheckTargetUrlTest, AcceptsCommonForms) {
  for (const char* url : {"http://h", "HTTPS://h.example.org:8443/p?q=1#f", "http://u:p@h:1/",
                          "http://[::1]:8080/x", "http://127.0.0.1:65535"}) {
    EXPECT_EQ(CheckTargetUrl(url), OkStatus()) << url;
  }
}

TEST(CheckTargetUrlTest, RefusesMissingHostBadPortAndSpaces) {
  EXPECT_EQ(CheckTargetUrl("http:///x"),
            InvalidArgumentError("'target_url' must be an absolute http:// or https:// URL (the "
                                 "host is missing), got 'http:///x'"));
  EXPECT_EQ(CheckTargetUrl("http://h:0/"),
            InvalidArgumentError("'target_url' must be an absolute http:// or https:// URL (the "
                                 "port must be a number from 1 to 65535), got 'http://h:0/'"));
  EXPECT_EQ(CheckTargetUrl("http://h:x/"),
            InvalidArgumentError("'target_url' must be an absolute http:// or https:// URL (the "
                                 "port must be a number from 1 to 65535), got 'http://h:x/'"));
  EXPECT_EQ(CheckTargetUrl("http://h /"),
            InvalidArgumentError("'target_url' must be an absolute http:// or https:// URL (it "
                                 "contains whitespace or control characters), got 'http://h /'"));
}

TEST(CheckAuthTest, EmptyObjectMeansNoAuthentication) {
  EXPECT_EQ(CheckAuth(Json::object()), OkStatus());
}

TEST(CheckAuthTest, CompleteBasicAndHeaderAreAccepted) {
  EXPECT_EQ(CheckAuth(Json::parse(R"({"type": "basic", "basic": {"username": "u", "password": "p"}})")),
            OkStatus());
  EXPECT_EQ(CheckAuth(Json::parse(
                R"({"type": "header", "header": {"type": "Bearer", "credentials": "t"}})")),
            OkStatus());
}

TEST(CheckAuthTest, UnknownType) {
  EXPECT_EQ(CheckAuth(Json::parse(R"({"type": "bearer"})")),
            InvalidArgumentError("'auth.type' must be \"basic\" or \"header\", got \"bearer\""));
}

TEST(CheckAuthTest, MissingType) {
  EXPECT_EQ(CheckAuth(Json::parse(R"({"basic": {"username": "u", "password": "p"}})")),
            InvalidArgumentError("'auth.type' is required (\"basic\" or \"header\")"));
}

TEST(CheckAuthTest, BasicWithoutCredentials) {
  EXPECT_EQ(CheckAuth(Json::parse(R"({"type": "basic"})")),
            InvalidArgumentError("'auth.basic' is required when auth.type is \"basic\" (an "
                                 "object with 'username' and 'password')"));
}

TEST(CheckAuthTest, IncompleteBasic) {
  EXPECT_EQ(CheckAuth(Json::parse(R"({"type": "basic", "basic": {"username": "u"}})")),
            InvalidArgumentError("'auth.basic.password' is required"));
}

TEST(CheckAuthTest, IncompleteHeader) {
  EXPECT_EQ(CheckAuth(Json::parse(R"({"type": "header", "header": {"type": 1}})")),
            InvalidArgumentError("'auth.header.type' must be a string, got a number; "
                                 "'auth.header.credentials' is required"));
}

TEST(CheckAuthTest, NotAnObject) {
  EXPECT_EQ(CheckAuth(Json("x")), InvalidArgumentError("'auth' must be a JSON object, got a string"));
}

TEST(SubscriptionRequestTest, BadAuthInBody) {
  EXPECT_EQ(UpdateError(R"({"auth": {"type": "bearer"}})"),
            InvalidArgumentError("'auth.type' must be \"basic\" or \"header\", got \"bearer\""));
}

TEST(SubscriptionRequestTest, ServerManagedFieldsAreTypeCheckedButNotReturned) {
  auto r = ParseSubscriptionBody(
      R"({"created": "x", "updated": "y", "deleted": "z", "user": "bob", "uuid": "u"})",
      BodyKind::kUpdate);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->user, "bob");
  EXPECT_EQ(r->uuid, "u");
  EXPECT_EQ(UpdateError(R"({"created": 1})"),
            InvalidArgumentError("'created' must be a string, got a number"));
}

TEST(SubscriptionRequestTest, DisabledNullAndErrorNullReEnable) {
  auto r = ParseSubscriptionBody(R"({"disabled": null, "error": null})", BodyKind::kUpdate);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->disabled.has_value());
  EXPECT_FALSE(r->disabled->has_value());
  ASSERT_TRUE(r->error.has_value());
  EXPECT_FALSE(r->error->has_value());
}

TEST(SubscriptionRequestTest, DisabledMustBeATimestamp) {
  EXPECT_EQ(UpdateError(R"({"disabled": "yesterday"})"),
            InvalidArgumentError("'disabled' must be a timestamp like "
                                 "\"2024-01-31T12:00:00.000000\" or null, got 'yesterday'"));
  auto r = ParseSubscriptionBody(R"({"disabled": "2024-01-31T12:00:00.5"})", BodyKind::kUpdate);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->disabled->has_value());
}

TEST(SubscriptionRequestTest, OverlongName) {
  std::string body = R"({"name": ")" + std::string(256, 'a') + R"("})";
  EXPECT_EQ(UpdateError(body), InvalidArgumentError("'name' is longer than 255 bytes"));
}

TEST(SubscriptionRequestTest, UnknownKeysAreIgnored) {
  EXPECT_EQ(UpdateError(R"({"colour": "blue"})"), OkStatus());
}

}  // namespace
}  // namespace pn::api

namespace pn {
namespace {

TEST(KeepRedactedSecrets, TheMaskKeepsEachStoredSecret) {
  Json stored = *ParseJson(R"({"type": "header", "header": {"type": "Bearer", "credentials": "tok"}})");
  Json incoming = *ParseJson(R"({"type": "header", "header": {"type": "Token", "credentials": "********"}})");
  Json merged = KeepRedactedSecrets(incoming, stored);
  EXPECT_EQ(merged["header"]["credentials"], "tok");
  EXPECT_EQ(merged["header"]["type"], "Token");  // everything else as given
}

TEST(KeepRedactedSecrets, ANewSecretOrNothingStoredIsTakenAsGiven) {
  Json stored = *ParseJson(R"({"type": "basic", "basic": {"username": "u", "password": "old"}})");
  Json changed = *ParseJson(R"({"type": "basic", "basic": {"username": "u", "password": "new"}})");
  EXPECT_EQ(KeepRedactedSecrets(changed, stored), changed);
  Json masked = *ParseJson(R"({"type": "basic", "basic": {"username": "u", "password": "********"}})");
  EXPECT_EQ(KeepRedactedSecrets(masked, Json::object()), masked);
  Json none = *ParseJson(R"({"type": "none"})");
  EXPECT_EQ(KeepRedactedSecrets(none, stored), none);
}

}  // namespace
}  // namespace pn
