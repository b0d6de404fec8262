// Size limits, 411 and timeouts.
#include <gtest/gtest.h>

#include "fakes/http_test_client.h"
#include "http/server.h"
#include "server_test_util.h"

namespace pn::http {
namespace {

using pn::testing::HttpTestClient;
using pn::testing::RawHttpConnection;
using testing::Echo;
using testing::StartServer;

ServerOptions WithJsonErrors() {
  ServerOptions options;
  options.error_response = [](int status, std::string_view message) {
    Response r;
    r.headers.Set("Content-Type", "application/json");
    r.body = std::to_string(status) + ":" + std::string(message);
    return r;
  };
  return options;
}

TEST(ServerLimitsTest, BodyOverTheLimitIs413WithTheErrorBody) {
  ServerOptions options = WithJsonErrors();
  options.max_body_bytes = 10;
  auto server = StartServer(Echo, options);
  HttpTestClient client(server->port());
  auto r = client.Send("POST", "/receive", std::string(11, 'x'));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->body, "413:the request body exceeds the limit of 10 bytes");
}

TEST(ServerLimitsTest, BodyAtTheLimitIsAccepted) {
  ServerOptions options;
  options.max_body_bytes = 10;
  auto server = StartServer(Echo, options);
  HttpTestClient client(server->port());
  auto r = client.Send("POST", "/r", std::string(10, 'x'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
}

TEST(ServerLimitsTest, LargeDeclaredBodyIsRefusedWithoutReadingItAndConnectionCloses) {
  ServerOptions options = WithJsonErrors();
  options.max_body_bytes = 1024;
  auto server = StartServer(Echo, options);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST /r HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n"
                             "partial")
                  .ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE((*conn)->WaitForClose());
}

TEST(ServerLimitsTest, ChunkedBodyOverTheLimitIs413) {
  ServerOptions options = WithJsonErrors();
  options.max_body_bytes = 4;
  auto server = StartServer(Echo, options);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST /r HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n")
                  .ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 413);
}

TEST(ServerLimitsTest, OversizedHeadersAre431) {
  ServerOptions options = WithJsonErrors();
  options.max_header_bytes = 256;
  auto server = StartServer(Echo, options);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(
      (*conn)->Write("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(400, 'a') + "\r\n\r\n")
          .ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->body, "431:the request line and headers exceed 256 bytes");
}

TEST(ServerLimitsTest, PostWithoutContentLengthIs411) {
  auto server = StartServer(Echo, WithJsonErrors());
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST /eventmatch HTTP/1.1\r\nHost: t\r\n\r\n").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 411);
  EXPECT_EQ(r->body, "411:Client must specify Content-Length");
}

TEST(ServerLimitsTest, PutWithoutContentLengthIs411AndConnectionStaysUsable) {
  auto server = StartServer(Echo, WithJsonErrors());
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("PUT /x HTTP/1.1\r\nHost: t\r\n\r\nGET /y HTTP/1.1\r\nHost: t\r\n\r\n")
                  .ok());
  auto first = (*conn)->ReadResponse();
  auto second = (*conn)->ReadResponse();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->status, 411);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, "GET /y? ");
}

TEST(ServerLimitsTest, GetAndDeleteNeedNoContentLength) {
  auto server = StartServer(Echo);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("DELETE /x HTTP/1.1\r\nHost: t\r\n\r\n").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
}

TEST(ServerLimitsTest, PostWithContentLengthZeroIsAccepted) {
  auto server = StartServer(Echo);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
}

TEST(ServerLimitsTest, MalformedRequestIs400) {
  auto server = StartServer(Echo, WithJsonErrors());
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("GARBAGE\r\n\r\n").ok());
  auto r = (*conn)->ReadResponse();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(r->body.starts_with("400:malformed HTTP request: ")) << r->body;
}

TEST(ServerTimeoutTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(50);
  auto server = StartServer(Echo, options);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("GET / HTTP/1.1\r\nHost: t\r\n\r\n").ok());
  ASSERT_TRUE((*conn)->ReadResponse().ok());
  EXPECT_TRUE((*conn)->WaitForClose());
}

TEST(ServerTimeoutTest, RequestNotFinishedInTimeIsDropped) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(50);
  auto server = StartServer(Echo, options);
  auto conn = RawHttpConnection::Connect(server->port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc").ok());
  EXPECT_TRUE((*conn)->WaitForClose());
}

}  // namespace
}  // namespace pn::http
