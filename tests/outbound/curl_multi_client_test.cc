// CurlMultiClient against the scripted server over loopback.
#include "outbound/curl_multi_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <cstdlib>
#include <future>

#include "fakes/scripted_server.h"

namespace pn::outbound {
namespace {

using pn::testing::ScriptedResponse;
using pn::testing::ScriptedServer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::unique_ptr<CurlMultiClient> MakeClient(CurlMultiClientOptions options = {}) {
  auto client = CurlMultiClient::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return std::move(client).value();
}

// Sends one request and waits (bounded) for its answer.
OutboundResponse SendAndWait(HttpClient& client, OutboundRequest request) {
  std::promise<OutboundResponse> promise;
  auto future = promise.get_future();
  client.Send(std::move(request), [&](OutboundResponse r) { promise.set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    ADD_FAILURE() << "no answer within 20 s";
    return {};
  }
  return future.get();
}

OutboundRequest Post(std::string url, std::string body = "{}") {
  OutboundRequest r;
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers = {{"Content-Type", "application/json"}};
  r.timeout = std::chrono::seconds(10);
  return r;
}

// A loopback port with nothing listening on it.
uint16_t ClosedPort() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  uint16_t port = a.local_endpoint().port();
  a.close();
  return port;
}

TEST(CurlMultiClientTest, PostsMethodPathHeadersAndBody) {
  ScriptedServer server;
  auto client = MakeClient();
  OutboundRequest req = Post(server.Url("/events/a%20b"), R"({"x": 1})");
  req.headers.emplace_back("Authorization", "Bearer tok");
  OutboundResponse res = SendAndWait(*client, req);
  ASSERT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
  auto reqs = server.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/events/a%20b");
  EXPECT_EQ(reqs[0].body, R"({"x": 1})");
  EXPECT_EQ(reqs[0].Header("Content-Type"), "application/json");
  EXPECT_EQ(reqs[0].Header("Authorization"), "Bearer tok");
  EXPECT_EQ(reqs[0].Header("Expect"), std::nullopt);
}

TEST(CurlMultiClientTest, ReturnsStatusHeadersAndBody) {
  ScriptedServer server;
  server.Script("/t",
                {ScriptedResponse{
                    .status = 503, .body = "target down", .headers = {{"Retry-After", "120"}}}});
  auto client = MakeClient();
  OutboundResponse res = SendAndWait(*client, Post(server.Url("/t")));
  EXPECT_EQ(res.error, "");
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.body, "target down");
  EXPECT_FALSE(res.body_truncated);
  EXPECT_EQ(res.Header("retry-after"), "120");
}

TEST(CurlMultiClientTest, TruncatesBodyToTheLimit) {
  ScriptedServer server;
  server.Script("/big", {ScriptedResponse{.body = std::string(100000, 'x')}});
  auto client = MakeClient();
  OutboundRequest req = Post(server.Url("/big"));
  req.max_response_bytes = 1000;
  OutboundResponse res = SendAndWait(*client, req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, std::string(1000, 'x'));
  EXPECT_TRUE(res.body_truncated);
}

TEST(CurlMultiClientTest, DoesNotFollowRedirects) {
  ScriptedServer server;
  server.Script("/moved",
                {ScriptedResponse{.status = 307, .headers = {{"Location", server.Url("/other")}}}});
  auto client = MakeClient();
  OutboundResponse res = SendAndWait(*client, Post(server.Url("/moved")));
  EXPECT_EQ(res.status, 307);
  EXPECT_EQ(server.RequestCount(), 1u);
  EXPECT_TRUE(server.RequestsTo("/other").empty());
}

TEST(CurlMultiClientTest, TimesOutAHungPeer) {
  ScriptedServer server;
  server.Script("/hang", {ScriptedResponse{.hold = true}});
  auto client = MakeClient();
  OutboundRequest req = Post(server.Url("/hang"));
  req.timeout = std::chrono::milliseconds(200);
  OutboundResponse res = SendAndWait(*client, req);
  EXPECT_EQ(res.status, 0);
  EXPECT_THAT(res.error, StartsWith("Operation timed out after"));
  EXPECT_FALSE(res.has_status());
}

TEST(CurlMultiClientTest, ReportsConnectionRefused) {
  uint16_t port = ClosedPort();
  auto client = MakeClient();
  OutboundResponse res =
      SendAndWait(*client, Post("http://127.0.0.1:" + std::to_string(port) + "/x"));
  EXPECT_EQ(res.status, 0);
  EXPECT_THAT(res.error, StartsWith("Failed to connect to 127.0.0.1 port " + std::to_string(port)));
}

TEST(CurlMultiClientTest, RejectsAUrlWithoutScheme) {
  auto client = MakeClient();
  OutboundResponse res = SendAndWait(*client, Post("notaurl"));
  EXPECT_EQ(res.status, 0);
  EXPECT_EQ(res.error, "invalid URL 'notaurl': no scheme, expected http:// or https://");
}

TEST(CurlMultiClientTest, RejectsANonHttpScheme) {
  auto client = MakeClient();
  OutboundResponse res = SendAndWait(*client, Post("ftp://127.0.0.1/x"));
  EXPECT_EQ(res.error, "invalid URL 'ftp://127.0.0.1/x': scheme 'ftp' is not http or https");
}

TEST(CurlMultiClientTest, ReportsADroppedConnection) {
  ScriptedServer server;
  server.Script("/drop", {ScriptedResponse{.drop_connection = true}});
  auto client = MakeClient();
  OutboundResponse res = SendAndWait(*client, Post(server.Url("/drop")));
  EXPECT_EQ(res.status, 0);
  EXPECT_EQ(res.error, "Empty reply from server");
}

TEST(CurlMultiClientTest, ReusesTheConnection) {
  ScriptedServer server;
  auto client = MakeClient();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(SendAndWait(*client, Post(server.Url("/r"))).status, 200);
  }
  auto reqs = server.Requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].connection_id, reqs[1].connection_id);
  EXPECT_EQ(reqs[1].connection_id, reqs[2].connection_id);
}

TEST(CurlMultiClientTest, IgnoresProxyEnvironment) {
  ScriptedServer server;
  uint16_t dead = ClosedPort();
  std::string proxy = "http://127.0.0.1:" + std::to_string(dead);
  setenv("http_proxy", proxy.c_str(), 1);
  setenv("HTTP_PROXY", proxy.c_str(), 1);
  auto client = MakeClient();
  OutboundResponse res = SendAndWait(*client, Post(server.Url("/p")));
  unsetenv("http_proxy");
  unsetenv("HTTP_PROXY");
  EXPECT_EQ(res.error, "");
  EXPECT_EQ(res.status, 200);
}

TEST(CurlMultiClientTest, KeepsManyRequestsInFlightAtOnce) {
  constexpr int kRequests = 400;
  ScriptedServer server;
  server.Script("/held", {ScriptedResponse{.status = 202, .hold = true}});
  auto client = MakeClient();
  std::mutex mu;
  std::condition_variable cv;
  int done = 0, accepted = 0;
  for (int i = 0; i < kRequests; ++i) {
    client->Send(Post(server.Url("/held")), [&](OutboundResponse r) {
      std::lock_guard lock(mu);
      ++done;
      if (r.status == 202) ++accepted;
      cv.notify_all();
    });
  }
  // Every request reaches the server while none has been answered.
  ASSERT_TRUE(server.WaitForHeld(kRequests, std::chrono::seconds(30)));
  EXPECT_EQ(client->Outstanding(), static_cast<std::size_t>(kRequests));
  server.ReleaseHeld();
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == kRequests; }));
  EXPECT_EQ(accepted, kRequests);
}

TEST(CurlMultiClientTest, QueuesBeyondMaxConcurrent) {
  ScriptedServer server;
  auto client = MakeClient({.max_concurrent = 2});
  std::mutex mu;
  std::condition_variable cv;
  int ok = 0;
  for (int i = 0; i < 50; ++i) {
    client->Send(Post(server.Url("/q")), [&](OutboundResponse r) {
      std::lock_guard lock(mu);
      if (r.status == 200) ++ok;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return ok == 50; }));
}

TEST(CurlMultiClientTest, ShutdownCompletesOutstandingRequests) {
  ScriptedServer server;
  server.Script("/held", {ScriptedResponse{.hold = true}});
  auto client = MakeClient();
  std::promise<OutboundResponse> promise;
  client->Send(Post(server.Url("/held")),
               [&](OutboundResponse r) { promise.set_value(std::move(r)); });
  ASSERT_TRUE(server.WaitForHeld(1));
  client.reset();
  auto future = promise.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_EQ(future.get().error, "HTTP client shut down");
}

}  // namespace
}  // namespace pn::outbound
