// Graceful stop: in-flight requests finish, idle connections close, the deadline holds.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "fakes/http_test_client.h"
#include "http/server.h"
#include "server_test_util.h"

namespace pn::http {
namespace {

using pn::testing::HttpTestClient;
using pn::testing::RawHttpConnection;
using testing::Echo;
using testing::Eventually;
using testing::Latch;
using testing::StartServer;

TEST(ServerStopTest, InFlightRequestFinishesBeforeStopReturns) {
  Latch handler_entered;
  Latch release;
  std::thread worker;
  auto server = StartServer([&](Request, Responder respond) {
    handler_entered.Open();
    worker = std::thread([&release, respond = std::move(respond)] {
      release.WaitFor();
      Response r;
      r.body = "finished";
      respond(std::move(r));
    });
  });
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n").ok());
  ASSERT_TRUE(handler_entered.WaitFor());

  auto stopped = std::async(std::launch::async, [&] { return server->Stop(std::chrono::seconds(30)); });
  ASSERT_TRUE(Eventually([&] { return server->stopping(); }));
  release.Open();

  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(stopped.get());
  EXPECT_TRUE((*conn)->WaitForClose());
  worker.join();
}

TEST(ServerStopTest, IdleConnectionsAreClosed) {
  auto server = StartServer(Echo);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("GET / HTTP/1.1\r\nHost: t\r\n\r\n").ok());
  ASSERT_TRUE((*conn)->ReadResponse().ok());
  EXPECT_TRUE(server->Stop());
  EXPECT_TRUE((*conn)->WaitForClose());
  EXPECT_EQ(server->open_connections(), 0u);
}

TEST(ServerStopTest, NewConnectionsAreRefusedAfterStop) {
  auto server = StartServer(Echo);
  uint16_t port = server->port();
  EXPECT_TRUE(server->Stop());
  auto conn = RawHttpConnection::Connect(port);
  EXPECT_FALSE(conn.ok());
}

TEST(ServerStopTest, DeadlineAbandonsAHandlerThatNeverAnswers) {
  Latch handler_entered;
  Responder kept;
  std::mutex mu;
  auto server = StartServer([&](Request, Responder respond) {
    std::lock_guard lock(mu);
    kept = std::move(respond);
    handler_entered.Open();
  });
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("GET / HTTP/1.1\r\nHost: t\r\n\r\n").ok());
  ASSERT_TRUE(handler_entered.WaitFor());
  EXPECT_FALSE(server->Stop(std::chrono::milliseconds(20)));
  // Answering after the server gave up must be harmless.
  std::lock_guard lock(mu);
  kept(Response{});
  kept = nullptr;
}

TEST(ServerStopTest, StopIsIdempotentAndWaitReturnsAfterIt) {
  auto server = StartServer(Echo);
  std::thread waiter([&] { server->Wait(); });
  EXPECT_TRUE(server->Stop());
  EXPECT_TRUE(server->Stop());
  waiter.join();
}

TEST(ServerStopTest, RequestStartedBeforeStopIsStillAnswered) {
  // The 100 Continue proves the server has the request's header before the stop begins; the
  // body arrives during the stop.
  auto server = StartServer(Echo);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
                             "Expect: 100-continue\r\n\r\n")
                  .ok());
  auto interim = (*conn)->ReadResponse(/*head=*/true);
  ASSERT_TRUE(interim.ok());
  ASSERT_EQ(interim->status, 100);
  auto stopped =
      std::async(std::launch::async, [&] { return server->Stop(std::chrono::seconds(30)); });
  ASSERT_TRUE(Eventually([&] { return server->stopping(); }));
  ASSERT_TRUE((*conn)->Write("abcd").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "POST /x? abcd");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(stopped.get());
}

}  // namespace
}  // namespace pn::http
