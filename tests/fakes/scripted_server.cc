#include "fakes/scripted_server.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstdio>
#include <cstdlib>
#include <list>

namespace pn::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}
}  // namespace

std::optional<std::string> RecordedRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

std::string RecordedRequest::Path() const { return target.substr(0, target.find('?')); }

struct ScriptedServer::Impl {
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  // Timers of held requests; ReleaseHeld cancels them, which lets their answers go out.
  std::list<std::shared_ptr<asio::steady_timer>> held_timers;
  uint64_t next_connection = 0;

  static asio::awaitable<void> Session(ScriptedServer* self, tcp::socket socket, uint64_t id) {
    beast::flat_buffer buffer;
    while (true) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      auto [ec, n_read] =
          co_await http::async_read(socket, buffer, parser, asio::as_tuple(asio::use_awaitable));
      (void)n_read;
      if (ec) co_return;
      http::request<http::string_body> req = parser.release();
      RecordedRequest rec;
      rec.method = std::string(req.method_string());
      rec.target = std::string(req.target());
      for (const auto& f : req) {
        rec.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      }
      rec.body = req.body();
      rec.connection_id = id;
      std::string path = rec.Path();
      ScriptedResponse script = self->NextResponse(path);
      self->Record(std::move(rec));

      if (script.delay.count() > 0) {
        asio::steady_timer timer(socket.get_executor(), script.delay);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (script.hold) {
        auto timer = std::make_shared<asio::steady_timer>(socket.get_executor(),
                                                          asio::steady_timer::time_point::max());
        self->impl_->held_timers.push_back(timer);
        {
          std::lock_guard lock(self->mu_);
          ++self->held_;
        }
        self->cv_.notify_all();
        co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (script.drop_connection) {
        beast::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
        co_return;
      }
      http::response<http::string_body> res;
      res.version(req.version());
      res.result(static_cast<unsigned>(script.status));
      for (const auto& [k, v] : script.headers) res.insert(k, v);
      res.body() = script.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, n] = co_await http::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
      (void)n;
      if (wec || !req.keep_alive()) co_return;
    }
  }

  static asio::awaitable<void> AcceptLoop(ScriptedServer* self) {
    while (true) {
      auto [ec, socket] =
          co_await self->impl_->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(self->impl_->ioc,
                     Session(self, std::move(socket), ++self->impl_->next_connection),
                     asio::detached);
    }
  }
};

ScriptedServer::ScriptedServer() : impl_(std::make_unique<Impl>()) {
  beast::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "ScriptedServer: cannot listen on 127.0.0.1:0: %s\n",
                 ec.message().c_str());
    std::abort();
  }
  port_ = impl_->acceptor.local_endpoint().port();

  asio::co_spawn(impl_->ioc, Impl::AcceptLoop(this), asio::detached);
  thread_ = std::thread([this] { impl_->ioc.run(); });
}

ScriptedServer::~ScriptedServer() {
  impl_->ioc.stop();
  thread_.join();
}

std::string ScriptedServer::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

void ScriptedServer::Script(const std::string& path, std::vector<ScriptedResponse> responses) {
  std::lock_guard lock(mu_);
  scripts_[path] = {std::move(responses), 0};
}

void ScriptedServer::SetDefault(ScriptedResponse response) {
  std::lock_guard lock(mu_);
  default_ = std::move(response);
}

ScriptedResponse ScriptedServer::NextResponse(const std::string& path) {
  std::lock_guard lock(mu_);
  auto it = scripts_.find(path);
  if (it == scripts_.end() || it->second.first.empty()) return default_;
  auto& [responses, next] = it->second;
  ScriptedResponse r = responses[std::min(next, responses.size() - 1)];
  ++next;
  return r;
}

void ScriptedServer::Record(RecordedRequest r) {
  {
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(r));
  }
  cv_.notify_all();
}

std::vector<RecordedRequest> ScriptedServer::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<RecordedRequest> ScriptedServer::RequestsTo(std::string_view path) const {
  std::lock_guard lock(mu_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (r.Path() == path) out.push_back(r);
  }
  return out;
}

std::size_t ScriptedServer::RequestCount() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

bool ScriptedServer::WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

bool ScriptedServer::WaitForHeld(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return held_ >= n; });
}

void ScriptedServer::ReleaseHeld() {
  // Timers belong to the io_context thread; cancel them there.
  asio::post(impl_->ioc, [this] {
    for (auto& t : impl_->held_timers) t->cancel();
    impl_->held_timers.clear();
  });
  std::lock_guard lock(mu_);
  held_ = 0;
}

}  // namespace pn::testing
