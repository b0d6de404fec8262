// Helpers for the server tests: start a server on port 0 and wait on conditions with deadlines.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "http/server.h"

namespace pn::http::testing {

inline std::unique_ptr<Server> StartServer(Handler handler, ServerOptions options = {}) {
  options.address = "127.0.0.1";
  options.port = 0;
  auto server = Server::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(server).value() : nullptr;
}

// Echoes what the handler saw: "METHOD path?query body".
inline void Echo(Request req, Responder respond) {
  Response r;
  r.headers.Set("Content-Type", "text/plain");
  r.body = req.method + " " + req.path + "?" + req.query + " " + req.body;
  respond(std::move(r));
}

// A one-shot flag a test can wait on with a deadline.
class Latch {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool WaitFor(std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, deadline, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Polls `condition` until true or the deadline passes (for state only observable by polling).
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::yield();
  }
  return condition();
}

}  // namespace pn::http::testing
