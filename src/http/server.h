// An HTTP/1.1 server on Boost.Beast: one io_context per thread, keep-alive, requests of one
// connection handled strictly in order (pipelining-safe), size limits, read and idle timeouts and a
// graceful stop. Every request goes to one Handler (src/http/message.h), which may answer later
// from any thread. Errors the server produces itself (400, 411, 413, 431, 500) are built by an
// injectable function so that the application decides their body.
// Thread-safety: Start/Stop/Wait/port may be called from any thread; Stop is idempotent.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/message.h"

namespace pn::http {

// What the access log hook learns about each answered request.
struct ExchangeRecord {
  const Request& request;  // for a request rejected early, the body is empty
  int status;
  std::chrono::microseconds duration;  // from the first byte of the request to the response
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: the kernel picks one; see Server::port()
  int threads = 1;    // each runs its own io_context
  // Larger bodies are answered 413 without being read.
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  // Request line plus headers; larger are answered 431.
  std::size_t max_header_bytes = 64 * 1024;
  // How long a keep-alive connection may sit without a request before it is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  // How long a client may take to send a whole request once its first byte arrived.
  std::chrono::milliseconds read_timeout{30'000};
  // How long writing a response may take.
  std::chrono::milliseconds write_timeout{30'000};
  // POST/PUT without Content-Length or chunked transfer are answered 411 (as CherryPy does).
  bool require_length_for_post_put = true;
  // Builds the response for errors the server detects itself. Default: a text/plain body.
  std::function<Response(int status, std::string_view message)> error_response;
  // Called once per answered request, on a server thread; must not block.
  std::function<void(const ExchangeRecord&)> access_log;
};

class Server {
 public:
  // Binds and listens, then starts the threads. InvalidArgument for a bad address,
  // Unavailable when the port cannot be bound (e.g. in use).
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, Handler handler);

  // Stops gracefully when not stopped yet, waiting up to 10 s.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the real one when options.port was 0).
  uint16_t port() const;
  std::string address() const;

  // Graceful stop: stops accepting, closes idle connections, lets requests already received
  // finish and their responses be written (with `Connection: close`), then closes everything.
  // Whatever is still running after `deadline` is abandoned. Returns true when every in-flight
  // request finished in time. Blocks; later calls return at once.
  bool Stop(std::chrono::milliseconds deadline = std::chrono::seconds(10));

  // Blocks until Stop() has completed (from another thread or a signal handler's waker).
  void Wait();

  // True once Stop() has begun.
  bool stopping() const;

  // Open connections right now (tests and metrics).
  std::size_t open_connections() const;

  struct Core;

 private:
  explicit Server(std::shared_ptr<Core> core);
  std::shared_ptr<Core> core_;
};

// Reason phrase of a status code ("Not Found"), "Unknown" for codes it does not know.
std::string_view ReasonPhrase(int status);

}  // namespace pn::http
