// Synchronous HTTP clients for tests.
// - HttpTestClient: libcurl easy handle; reuses one keep-alive connection between calls.
// - RawHttpConnection: a plain socket for what curl will not send (no Content-Length,
//   pipelining, partial requests) and for reading responses exactly as they arrive.
// Thread-safety: one instance per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace pn::testing {

struct TestResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order received
  std::string body;
  // First value of the header (case-insensitive name), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
};

class HttpTestClient {
 public:
  explicit HttpTestClient(uint16_t port, std::string host = "127.0.0.1");
  ~HttpTestClient();
  HttpTestClient(const HttpTestClient&) = delete;
  HttpTestClient& operator=(const HttpTestClient&) = delete;

  // Sends one request; `target` is path plus query. Headers are "Name: value" lines; without
  // a Content-Type header, bodies are sent as application/json.
  // Unavailable on a transport error (connection refused, timeout).
  Result<TestResponse> Send(const std::string& method, const std::string& target,
                            const std::string& body = "",
                            const std::vector<std::string>& headers = {});
  Result<TestResponse> Get(const std::string& target, const std::vector<std::string>& headers = {}) {
    return Send("GET", target, "", headers);
  }
  // How many TCP connections curl opened so far (keep-alive tests).
  long connections_opened() const { return connects_; }
  void set_timeout(std::chrono::milliseconds t) { timeout_ = t; }

 private:
  void* curl_;
  std::string base_;
  long connects_ = 0;
  std::chrono::milliseconds timeout_{10'000};
};

class RawHttpConnection {
 public:
  // Unavailable when the connection cannot be made.
  static Result<std::unique_ptr<RawHttpConnection>> Connect(uint16_t port,
                                                            std::string host = "127.0.0.1");
  ~RawHttpConnection();
  Status Write(const std::string& bytes);
  // Reads exactly one response (status line, headers, body by Content-Length or chunked, or
  // until close). `head` says the request was HEAD (no body follows). DeadlineExceeded after
  // `timeout`; Unavailable when the server closed the connection before a response.
  Result<TestResponse> ReadResponse(bool head = false,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closed the connection (reads EOF) within `timeout`.
  bool WaitForClose(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  explicit RawHttpConnection(int fd) : fd_(fd) {}
  // Fills buffer_ with more bytes; false on EOF/error/timeout (sets *timed_out).
  bool Fill(std::chrono::steady_clock::time_point deadline, bool* timed_out);
  int fd_;
  std::string buffer_;
};

}  // namespace pn::testing
