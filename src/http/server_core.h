// Internals shared by server.cc and session.cc; not part of the public API.
// Thread-safety: Core's mutable state is guarded by `mu`, except `stopping` (atomic); each Session
// runs only on its own io_context's thread.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/server.h"

namespace pn::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class Session;

struct Server::Core : std::enable_shared_from_this<Server::Core> {
  ServerOptions options;
  Handler handler;

  // Declared before the io_contexts: sessions destroyed while the contexts shut down still
  // unregister here.
  mutable std::mutex mu;
  std::condition_variable cv;
  std::unordered_set<Session*> sessions;
  bool stop_started = false;
  bool stopped = false;
  bool stop_was_clean = false;
  bool posts_open = true;  // responders may still post to the io_contexts
  std::atomic<bool> stopping{false};

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::optional<tcp::acceptor> acceptor;  // lives on contexts[0]
  std::vector<std::thread> threads;
  std::size_t next_context = 0;  // only touched on contexts[0]'s thread
  tcp::endpoint bound;

  ~Core();
  void Accept();
  Response MakeError(int status, std::string_view message) const;
};

// One TCP connection: reads a request, hands it to the handler, writes the answer, repeats.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Core* core, tcp::socket socket);
  ~Session();
  void Start();
  // Closes the connection when it waits for a new request (graceful stop).
  void CloseIfIdle();
  asio::any_io_executor executor() { return stream_.get_executor(); }
  // Runs on the session's executor.
  void Respond(Response response);

 private:
  void WaitForRequest();
  void ReadHeader();
  void OnHeader(beast::error_code ec);
  void ReadBody();
  void OnBody(beast::error_code ec);
  void Dispatch();
  void Reject(int status, std::string_view message, bool request_complete);
  void OnWritten(beast::error_code ec, bool close);
  void Close(bool linger);
  bool ReadErrorIsQuiet(beast::error_code ec) const;

  Server::Core* core_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  std::string remote_address_;
  bool idle_ = false;
  bool closed_ = false;
  bool head_ = false;
  bool keep_alive_ = false;
  bool linger_after_write_ = false;
  std::chrono::steady_clock::time_point started_;
  Request log_request_;  // method, target, path and headers of the current request, for the log
  std::shared_ptr<beast::http::response<beast::http::string_body>> response_;
  std::string linger_sink_;
};

// "/a%20b?x=1" -> path "/a b", query "x=1". Absolute-form targets lose scheme and authority.
void SplitTarget(std::string_view target, std::string* path, std::string* query);

}  // namespace pn::http
