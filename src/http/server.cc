// Server start-up, accept loop and graceful stop. The per-connection work is in session.cc.
#include <array>
#include <utility>

#include "http/server_core.h"

namespace pn::http {

namespace http = beast::http;

std::string_view ReasonPhrase(int status) {
  // Python's http.HTTPStatus phrases, as CherryPy put them in the original's error bodies.
  static constexpr std::array<std::pair<int, std::string_view>, 22> kPhrases{{
      {200, "OK"},
      {201, "Created"},
      {204, "No Content"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {411, "Length Required"},
      {413, "Request Entity Too Large"},
      {415, "Unsupported Media Type"},
      {417, "Expectation Failed"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
      {507, "Insufficient Storage"},
  }};
  for (const auto& [code, phrase] : kPhrases) {
    if (code == status) return phrase;
  }
  auto known = http::int_to_status(static_cast<unsigned>(status));
  if (known == http::status::unknown) return "Unknown";
  return http::obsolete_reason(known);
}

Server::Core::~Core() {
  // Threads are joined by Stop(); this only releases what is left (sessions abandoned after the
  // deadline are destroyed with their io_context).
  acceptor.reset();
  guards.clear();
  contexts.clear();
}

Response Server::Core::MakeError(int status, std::string_view message) const {
  if (options.error_response) {
    Response r = options.error_response(status, message);
    r.status = status;
    return r;
  }
  Response r;
  r.status = status;
  r.headers.Set("Content-Type", "text/plain; charset=utf-8");
  r.body = std::string(message);
  return r;
}

void Server::Core::Accept() {
  asio::io_context& target = *contexts[next_context++ % contexts.size()];
  acceptor->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
    if (stopping.load() || ec == asio::error::operation_aborted) return;
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(this, std::move(socket))->Start();
    }
    // Other accept errors (e.g. out of file descriptors) concern one connection: keep going.
    Accept();
  });
}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Handler handler) {
  if (!handler) return InvalidArgumentError("http server: no request handler given");
  if (options.threads < 1) {
    return InvalidArgumentError("http server: threads must be at least 1, got " +
                                std::to_string(options.threads));
  }
  beast::error_code ec;
  auto ip = asio::ip::make_address(options.address, ec);
  if (ec) {
    return InvalidArgumentError("http server: '" + options.address +
                                "' is not an IP address (use e.g. 127.0.0.1 or 0.0.0.0)");
  }
  auto core = std::make_shared<Core>();
  core->options = std::move(options);
  core->handler = std::move(handler);
  for (int i = 0; i < core->options.threads; ++i) {
    core->contexts.push_back(std::make_unique<asio::io_context>(1));
    core->guards.push_back(asio::make_work_guard(*core->contexts.back()));
  }
  tcp::endpoint endpoint(ip, core->options.port);
  core->acceptor.emplace(*core->contexts[0]);
  auto where = [&] { return endpoint.address().to_string() + ":" + std::to_string(endpoint.port()); };
  core->acceptor->open(endpoint.protocol(), ec);
  if (!ec) core->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) core->acceptor->bind(endpoint, ec);
  if (!ec) core->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return UnavailableError("http server: cannot listen on " + where() + ": " + ec.message());
  core->bound = core->acceptor->local_endpoint(ec);
  if (ec) return UnavailableError("http server: cannot read the bound address: " + ec.message());

  asio::post(*core->contexts[0], [c = core.get()] { c->Accept(); });
  for (auto& context : core->contexts) {
    core->threads.emplace_back([ctx = context.get()] {
      // A handler that throws must not take the whole server down; the connection it belonged
      // to is dropped with its handler.
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (...) {
        }
      }
    });
  }
  return std::unique_ptr<Server>(new Server(std::move(core)));
}

Server::Server(std::shared_ptr<Core> core) : core_(std::move(core)) {}

Server::~Server() { Stop(); }

uint16_t Server::port() const { return core_->bound.port(); }

std::string Server::address() const { return core_->bound.address().to_string(); }

bool Server::stopping() const { return core_->stopping.load(); }

std::size_t Server::open_connections() const {
  std::lock_guard lock(core_->mu);
  return core_->sessions.size();
}

bool Server::Stop(std::chrono::milliseconds deadline) {
  Core& core = *core_;
  std::unique_lock lock(core.mu);
  if (core.stop_started) {
    core.cv.wait(lock, [&] { return core.stopped; });
    return core.stop_was_clean;
  }
  core.stop_started = true;
  core.stopping.store(true);
  std::vector<std::shared_ptr<Session>> live;
  for (Session* s : core.sessions) {
    if (auto sp = s->weak_from_this().lock()) live.push_back(std::move(sp));
  }
  lock.unlock();

  asio::post(*core.contexts[0], [c = &core] {
    beast::error_code ignored;
    c->acceptor->close(ignored);
  });
  for (auto& s : live) {
    asio::post(s->executor(), [s] { s->CloseIfIdle(); });
  }
  live.clear();  // outside the lock: dropping the last reference unregisters the session

  lock.lock();
  bool clean = core.cv.wait_for(lock, deadline, [&] { return core.sessions.empty(); });
  core.posts_open = false;
  lock.unlock();

  for (auto& guard : core.guards) guard.reset();
  for (auto& context : core.contexts) context->stop();
  for (auto& thread : core.threads) thread.join();
  core.threads.clear();
  {
    // The posted close may not have run before the contexts stopped.
    beast::error_code ignored;
    core.acceptor->close(ignored);
  }

  lock.lock();
  core.stopped = true;
  core.stop_was_clean = clean;
  core.cv.notify_all();
  return clean;
}

void Server::Wait() {
  std::unique_lock lock(core_->mu);
  core_->cv.wait(lock, [&] { return core_->stopped; });
}

}  // namespace pn::http
