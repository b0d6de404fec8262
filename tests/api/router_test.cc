// Routing rules of upstream §2.1 as DESIGN §4 keeps them.
#include "api/router.h"

#include <gtest/gtest.h>

#include "api/error_response.h"
#include "json/json.h"

namespace pn::api {
namespace {

struct Seen {
  std::string method;
  std::optional<std::string> id;
  bool called = false;
};

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(Resource{"/eventmatch", {"DELETE", "GET", "POST", "PUT"}, "event_uuid",
                         [this](RouteRequest req, http::Responder respond) {
                           seen_ = {req.http.method, req.id, true};
                           http::Response r;
                           r.body = "ok";
                           respond(r);
                         }});
    router_.Mount("/receive", {"POST"}, [this](http::Request req, http::Responder respond) {
      seen_ = {req.method, std::nullopt, true};
      respond(http::Response{});
    });
  }

  http::Response Call(std::string method, std::string path, std::string query = "") {
    http::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.query = std::move(query);
    http::Response out;
    router_.Handle(std::move(req), [&](http::Response r) { out = std::move(r); });
    return out;
  }

  static std::string Message(const http::Response& r) {
    auto j = ParseJson(r.body);
    return j.ok() ? (*j)["message"].get<std::string>() : "<not json: " + r.body + ">";
  }

  Router router_;
  Seen seen_;
};

TEST_F(RouterTest, ResourceWithoutIdGetsNoId) {
  auto r = Call("GET", "/eventmatch");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(seen_.called);
  EXPECT_FALSE(seen_.id.has_value());
}

TEST_F(RouterTest, OneExtraSegmentBindsTheId) {
  Call("GET", "/eventmatch/abc");
  EXPECT_EQ(seen_.id, "abc");
}

TEST_F(RouterTest, QueryParameterBindsTheId) {
  Call("GET", "/eventmatch", "event_uuid=abc");
  EXPECT_EQ(seen_.id, "abc");
}

TEST_F(RouterTest, EmptyLastSegmentAndEmptyQueryValueMeanNoId) {
  Call("GET", "/eventmatch/");
  EXPECT_FALSE(seen_.id.has_value());
  Call("GET", "/eventmatch", "event_uuid=");
  EXPECT_TRUE(seen_.called);
  EXPECT_FALSE(seen_.id.has_value());
}

TEST_F(RouterTest, TwoExtraSegmentsAre404) {
  auto r = Call("GET", "/eventmatch/a/b");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Message(r), "Nothing matches the given URI");
  EXPECT_FALSE(seen_.called);
}

TEST_F(RouterTest, UnexpectedQueryParametersAre404) {
  auto r = Call("GET", "/eventmatch", "foo=1&bar&foo=2");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Message(r), "Unexpected query string parameters: foo, bar");
}

TEST_F(RouterTest, IdInPathAndQueryIs400) {
  auto r = Call("GET", "/eventmatch/a", "event_uuid=b");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Message(r), "'event_uuid' was given more than once (path or query)");
}

TEST_F(RouterTest, UnknownPathIs404WithEmptyAllow) {
  auto r = Call("GET", "/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Message(r), "Nothing matches the given URI");
  EXPECT_EQ(r.headers.Get("Allow"), "");
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
}

TEST_F(RouterTest, PathSharingAPrefixIsNotTheResource) {
  EXPECT_EQ(Call("GET", "/eventmatches").status, 404);
  EXPECT_FALSE(seen_.called);
}

TEST_F(RouterTest, UnsupportedMethodIs405WithAllow) {
  auto r = Call("PATCH", "/eventmatch/x");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(Message(r), "Specified method is invalid for this resource");
  EXPECT_EQ(r.headers.Get("Allow"), "DELETE, GET, HEAD, POST, PUT");
}

TEST_F(RouterTest, SuccessfulAnswerCarriesAllow) {
  auto r = Call("GET", "/eventmatch");
  EXPECT_EQ(r.headers.Get("Allow"), "DELETE, GET, HEAD, POST, PUT");
}

TEST_F(RouterTest, HeadIsServedByGet) {
  auto r = Call("HEAD", "/eventmatch");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(seen_.method, "GET");
}

TEST_F(RouterTest, MountedResourceRefusesOtherMethodsWith405) {
  auto r = Call("GET", "/receive");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("Allow"), "POST");
}

TEST_F(RouterTest, MountedResourceTakesNoExtraSegment) {
  auto r = Call("POST", "/receive/x");
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(seen_.called);
}

TEST_F(RouterTest, MountedResourceReceivesThePlainRequest) {
  auto r = Call("POST", "/receive");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(seen_.method, "POST");
}

TEST(ParseQueryTest, DecodesNamesAndValues) {
  auto q = ParseQuery("a=1&b&c=%41+b&&d=");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"b", ""}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"c", "A b"}));
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>{"d", ""}));
}

}  // namespace
}  // namespace pn::api
