// ScriptedServer: a fake HTTP peer for tests (policy service, delivery targets). It listens on
// 127.0.0.1 port 0, records every request (method, target, headers, body, connection) and answers
// per script: status, body, headers (e.g. Retry-After), delay, hold-until-released, or a dropped
// connection. Built on Boost.Beast with one io_context thread.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace pn::testing {

using FieldList = std::vector<std::pair<std::string, std::string>>;

struct RecordedRequest {
  std::string method;
  std::string target;  // as received: path plus query
  FieldList headers;   // names as received
  std::string body{};
  uint64_t connection_id = 0;  // equal ids: the same TCP connection (reuse)
  // First value of the named header (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
  std::string Path() const;  // target without the query
};

struct ScriptedResponse {
  int status = 200;
  std::string body{};
  FieldList headers{};  // Content-Length is added; Content-Type only if given here
  std::chrono::milliseconds delay{0};
  bool hold = false;             // answer only after ReleaseHeld() (or never)
  bool drop_connection = false;  // close the connection without answering
};

class ScriptedServer {
 public:
  ScriptedServer();  // binds 127.0.0.1:0 and starts serving; aborts the test binary if it cannot
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port><path>"
  std::string Url(std::string_view path = "") const;

  // Requests whose path equals `path` get these responses in order; the last one repeats.
  void Script(const std::string& path, std::vector<ScriptedResponse> responses);
  // For paths without a script (initially 200 with an empty body).
  void SetDefault(ScriptedResponse response);

  std::vector<RecordedRequest> Requests() const;
  std::vector<RecordedRequest> RequestsTo(std::string_view path) const;
  std::size_t RequestCount() const;
  // Waits until at least n requests arrived (true) or the timeout passed (false).
  bool WaitForRequests(std::size_t n,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // Waits until at least n requests are being held.
  bool WaitForHeld(std::size_t n,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // Answers every request currently held.
  void ReleaseHeld();

 private:
  struct Impl;
  ScriptedResponse NextResponse(const std::string& path);
  void Record(RecordedRequest r);

  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<RecordedRequest> requests_;
  std::map<std::string, std::pair<std::vector<ScriptedResponse>, std::size_t>> scripts_;
  ScriptedResponse default_;
  std::size_t held_ = 0;
  std::thread thread_;
};

}  // namespace pn::testing
