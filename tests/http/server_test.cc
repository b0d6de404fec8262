// The server's request/response path over loopback with real clients.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "fakes/http_test_client.h"
#include "server_test_util.h"

namespace pn::http {
namespace {

using pn::testing::HttpTestClient;
using pn::testing::RawHttpConnection;
using testing::Echo;
using testing::Latch;
using testing::StartServer;

TEST(ServerTest, BindsToAnEphemeralPortWhenAskedForPortZero) {
  auto server = StartServer(Echo);
  ASSERT_NE(server, nullptr);
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->address(), "127.0.0.1");
}

TEST(ServerTest, HandlerSeesMethodDecodedPathQueryAndBody) {
  auto server = StartServer(Echo);
  HttpTestClient client(server->port());
  auto r = client.Send("POST", "/a%20b/c?x=1&y=2", "payload");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "POST /a b/c?x=1&y=2 payload");
  EXPECT_EQ(r->Header("Content-Type"), "text/plain");
  EXPECT_EQ(r->Header("Content-Length"), "27");
}

TEST(ServerTest, HandlerSeesHeadersAndRemoteAddress) {
  std::string seen_user, seen_remote;
  auto server = StartServer([&](Request req, Responder respond) {
    seen_user = std::string(req.headers.Get("http-remote-user").value_or("<none>"));
    seen_remote = req.remote_address;
    respond(Response{});
  });
  HttpTestClient client(server->port());
  ASSERT_TRUE(client.Get("/", {"Http-Remote-User: alice"}).ok());
  EXPECT_EQ(seen_user, "alice");
  EXPECT_EQ(seen_remote, "127.0.0.1");
}

TEST(ServerTest, KeepAliveReusesOneConnection) {
  auto server = StartServer(Echo);
  HttpTestClient client(server->port());
  for (int i = 0; i < 5; ++i) {
    auto r = client.Get("/x");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST(ServerTest, ConnectionCloseRequestClosesAfterResponse) {
  auto server = StartServer(Echo);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE((*conn)->WaitForClose());
}

TEST(ServerTest, AnswersFromAnotherThreadLater) {
  std::vector<std::thread> workers;
  std::mutex mu;
  auto server = StartServer([&](Request req, Responder respond) {
    std::lock_guard lock(mu);
    workers.emplace_back([req = std::move(req), respond = std::move(respond)] {
      Response r;
      r.body = "later " + req.path;
      respond(std::move(r));
    });
  });
  HttpTestClient client(server->port());
  auto r = client.Get("/p");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "later /p");
  std::lock_guard lock(mu);
  for (auto& t : workers) t.join();
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  // The first request is answered only after the second has certainly arrived.
  Latch second_sent;
  std::thread slow;
  auto server = StartServer([&](Request req, Responder respond) {
    if (req.path == "/first") {
      slow = std::thread([&second_sent, respond = std::move(respond)] {
        second_sent.WaitFor();
        Response r;
        r.body = "first";
        respond(std::move(r));
      });
      return;
    }
    Response r;
    r.body = "second";
    respond(std::move(r));
  });
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("GET /first HTTP/1.1\r\nHost: t\r\n\r\n"
                             "GET /second HTTP/1.1\r\nHost: t\r\n\r\n")
                  .ok());
  second_sent.Open();
  auto r1 = (*conn)->ReadResponse();
  auto r2 = (*conn)->ReadResponse();
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ(r1->body, "first");
  EXPECT_EQ(r2->body, "second");
  slow.join();
}

TEST(ServerTest, HeadGetsHeadersWithContentLengthButNoBody) {
  auto server = StartServer([](Request req, Responder respond) {
    Response r;
    r.headers.Set("Content-Type", "application/json");
    r.body = req.method == "HEAD" ? "0123456789" : "";
    respond(std::move(r));
  });
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n"
                             "GET /y HTTP/1.1\r\nHost: t\r\n\r\n")
                  .ok());
  auto head = (*conn)->ReadResponse(/*head=*/true);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), "10");
  EXPECT_EQ(head->Header("Content-Type"), "application/json");
  // Had the body been sent, it would be read as the start of the next response.
  auto next = (*conn)->ReadResponse();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->Header("Content-Length"), "0");
}

TEST(ServerTest, ExpectContinueGetsInterimResponse) {
  auto server = StartServer(Echo);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
                             "Expect: 100-continue\r\n\r\n")
                  .ok());
  auto interim = (*conn)->ReadResponse(/*head=*/true);
  ASSERT_TRUE(interim.ok());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE((*conn)->Write("abc").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "POST /e? abc");
}

TEST(ServerTest, ChunkedBodyIsReassembled) {
  auto server = StartServer(Echo);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("PUT /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                  .ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "PUT /c? abcde");
}

TEST(ServerTest, HandlerThatDropsTheResponderYields500) {
  auto server = StartServer([](Request, Responder) {});
  HttpTestClient client(server->port());
  auto r = client.Get("/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, "the request handler finished without answering");
}

TEST(ServerTest, HandlerThatThrowsYields500) {
  auto server = StartServer([](Request, Responder) { throw std::runtime_error("boom"); });
  HttpTestClient client(server->port());
  auto r = client.Get("/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, "request handler failed: boom");
}

TEST(ServerTest, SecondAnswerIsIgnored) {
  auto server = StartServer([](Request, Responder respond) {
    Response first;
    first.body = "one";
    respond(first);
    Response second;
    second.body = "two";
    respond(second);
  });
  HttpTestClient client(server->port());
  auto r = client.Get("/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "one");
  auto again = client.Get("/");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->body, "one");
}

TEST(ServerTest, AccessLogSeesMethodPathAndStatus) {
  std::mutex mu;
  std::vector<std::string> lines;
  ServerOptions options;
  options.access_log = [&](const ExchangeRecord& rec) {
    std::lock_guard lock(mu);
    lines.push_back(rec.request.method + " " + rec.request.path + " " + std::to_string(rec.status));
  };
  auto server = StartServer(
      [](Request, Responder respond) {
        Response r;
        r.status = 404;
        respond(r);
      },
      options);
  HttpTestClient client(server->port());
  ASSERT_TRUE(client.Get("/nothing").ok());
  std::lock_guard lock(mu);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "GET /nothing 404");
}

TEST(ServerTest, ManyClientsOnSeveralThreads) {
  ServerOptions options;
  options.threads = 2;
  auto server = StartServer(Echo, options);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      HttpTestClient client(server->port());
      for (int i = 0; i < 25; ++i) {
        auto r = client.Get("/c" + std::to_string(c));
        if (r.ok() && r->body == "GET /c" + std::to_string(c) + "? ") ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 100);
}

TEST(ServerStartTest, RefusesAPortInUse) {
  auto first = StartServer(Echo);
  ServerOptions options;
  options.port = first->port();
  auto second = Server::Start(options, Echo);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(second.status().message(), "http server: cannot listen on 127.0.0.1:" +
                                           std::to_string(first->port()) +
                                           ": Address already in use");
}

TEST(ServerStartTest, RefusesAnAddressThatIsNotAnIp) {
  ServerOptions options;
  options.address = "not an address";
  auto server = Server::Start(options, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status(),
            InvalidArgumentError("http server: 'not an address' is not an IP address (use e.g. "
                                 "127.0.0.1 or 0.0.0.0)"));
}

}  // namespace
}  // namespace pn::http
