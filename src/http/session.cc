// One connection: idle wait -> header -> (411/413/431 checks) -> body -> handler -> write -> again.
// Requests are handled strictly one after another, so pipelined requests are answered in order.
#include <atomic>
#include <exception>

#include "common/percent_encoding.h"
#include "http/server_core.h"

namespace pn::http {

namespace http = beast::http;

namespace {


// The answer for one request, delivered exactly once from whichever thread the handler uses.
// When the handler drops it unanswered, the client still gets a 500 instead of a hang.
struct PendingResponse {
  std::shared_ptr<Server::Core> core;
  std::shared_ptr<Session> session;
  std::atomic<bool> done{false};

  void Deliver(Response response) {
    if (done.exchange(true)) return;
    std::lock_guard lock(core->mu);
    if (!core->posts_open) return;  // the server gave up on this request at its stop deadline
    asio::post(session->executor(), [s = session, r = std::move(response)]() mutable {
      s->Respond(std::move(r));
    });
  }
  ~PendingResponse() {
    if (!done.load()) {
      Deliver(core->MakeError(500, "the request handler finished without answering"));
    }
  }
};

}  // namespace

void SplitTarget(std::string_view target, std::string* path, std::string* query) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    auto authority = target.find("//") + 2;
    auto slash = target.find_first_of("/?", authority);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  auto q = target.find('?');
  *path = PercentDecodeLenient(target.substr(0, q));
  *query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  auto hash = query->find('#');
  if (hash != std::string::npos) query->resize(hash);
  if (path->empty()) *path = "/";
}

Session::Session(Server::Core* core, tcp::socket socket) : core_(core), stream_(std::move(socket)) {
  beast::error_code ec;
  auto remote = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_address_ = remote.address().to_string();
  std::lock_guard lock(core_->mu);
  core_->sessions.insert(this);
}

Session::~Session() {
  std::lock_guard lock(core_->mu);
  core_->sessions.erase(this);
  core_->cv.notify_all();
}

void Session::Start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void Session::CloseIfIdle() {
  if (idle_) Close(false);
}

bool Session::ReadErrorIsQuiet(beast::error_code ec) const {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == beast::error::timeout || ec == asio::error::bad_descriptor;
}

void Session::WaitForRequest() {
  if (closed_) return;
  if (core_->stopping.load()) return Close(false);
  if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
  // Wait for the first byte under the idle timeout; the read timeout starts after it.
  idle_ = true;
  stream_.expires_after(core_->options.idle_timeout);
  stream_.async_read_some(
      buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        self->idle_ = false;
        self->buffer_.commit(n);
        if (ec && n == 0) return self->Close(false);
        self->ReadHeader();
      });
}

void Session::ReadHeader() {
  if (closed_) return;
  started_ = std::chrono::steady_clock::now();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(core_->options.max_header_bytes));
  parser_->body_limit(core_->options.max_body_bytes);
  stream_.expires_after(core_->options.read_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->OnHeader(ec);
                          });
}

void Session::OnHeader(beast::error_code ec) {
  if (ec == http::error::header_limit) {
    return Reject(431, "the request line and headers exceed " +
                           std::to_string(core_->options.max_header_bytes) + " bytes", false);
  }
  if (ec == http::error::body_limit) {
    return Reject(413, "the request body exceeds the limit of " +
                           std::to_string(core_->options.max_body_bytes) + " bytes", false);
  }
  if (ec) {
    if (ReadErrorIsQuiet(ec) || ec == http::error::partial_message) return Close(false);
    return Reject(400, "malformed HTTP request: " + ec.message(), false);
  }
  const auto& req = parser_->get();
  log_request_ = Request{};
  log_request_.method = std::string(req.method_string());
  log_request_.target = std::string(req.target());
  SplitTarget(log_request_.target, &log_request_.path, &log_request_.query);
  for (const auto& field : req) {
    log_request_.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  log_request_.remote_address = remote_address_;
  head_ = req.method() == http::verb::head;
  keep_alive_ = req.keep_alive();

  bool post_or_put = req.method() == http::verb::post || req.method() == http::verb::put;
  if (core_->options.require_length_for_post_put && post_or_put &&
      !req.has_content_length() && !parser_->chunked()) {
    // Without a length the request has no body by HTTP/1.1 rules, so the connection stays usable.
    return Reject(411, "Client must specify Content-Length", parser_->is_done());
  }
  if (parser_->is_done()) return Dispatch();
  auto expect = req[http::field::expect];
  if (beast::iequals(expect, "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(core_->options.write_timeout);
    return asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                             [self = shared_from_this()](beast::error_code wec, std::size_t) {
                               if (wec) return self->Close(false);
                               self->ReadBody();
                             });
  }
  ReadBody();
}

void Session::ReadBody() {
  stream_.expires_after(core_->options.read_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->OnBody(ec);
                   });
}

void Session::OnBody(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    return Reject(413, "the request body exceeds the limit of " +
                           std::to_string(core_->options.max_body_bytes) + " bytes", false);
  }
  if (ec) {
    if (ReadErrorIsQuiet(ec) || ec == http::error::partial_message) return Close(false);
    return Reject(400, "malformed HTTP request body: " + ec.message(), false);
  }
  Dispatch();
}

void Session::Dispatch() {
  auto message = parser_->release();
  parser_.reset();
  Request request = log_request_;
  request.body = std::move(message.body());

  auto pending = std::make_shared<PendingResponse>();
  pending->core = core_->shared_from_this();
  pending->session = shared_from_this();
  Responder responder = [pending](Response r) { pending->Deliver(std::move(r)); };
  try {
    core_->handler(std::move(request), std::move(responder));
  } catch (const std::exception& e) {
    pending->Deliver(core_->MakeError(500, std::string("request handler failed: ") + e.what()));
  } catch (...) {
    pending->Deliver(core_->MakeError(500, "request handler failed"));
  }
}

void Session::Reject(int status, std::string_view message, bool request_complete) {
  if (!request_complete) {
    // The rest of the request is unread; the connection cannot be reused.
    keep_alive_ = false;
    linger_after_write_ = true;
    if (log_request_.method.empty() && parser_ && parser_->is_header_done()) {
      log_request_.method = std::string(parser_->get().method_string());
    }
  }
  parser_.reset();
  Respond(core_->MakeError(status, message));
}

void Session::Respond(Response r) {
  if (closed_) return;
  auto res = std::make_shared<http::response<http::string_body>>();
  res->version(11);
  if (r.status < 100 || r.status > 999) r = core_->MakeError(500, "handler answered an invalid status");
  res->result(static_cast<unsigned>(r.status));
  res->reason(ReasonPhrase(r.status));
  for (auto& [name, value] : r.headers.fields()) res->insert(name, value);
  bool keep_alive = keep_alive_ && !core_->stopping.load();
  if (head_) {
    // HEAD: GET's headers, Content-Length included, without the body.
    if (!r.headers.Get("Content-Length")) {
      res->set(http::field::content_length, std::to_string(r.body.size()));
    }
  } else {
    res->body() = std::move(r.body);
    res->prepare_payload();
  }
  res->keep_alive(keep_alive);

  if (core_->options.access_log) {
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started_);
    core_->options.access_log(ExchangeRecord{log_request_, r.status, elapsed});
  }
  response_ = res;
  stream_.expires_after(core_->options.write_timeout);
  http::async_write(stream_, *res,
                    [self = shared_from_this(), close = !keep_alive](beast::error_code ec,
                                                                     std::size_t) {
                      self->OnWritten(ec, close);
                    });
}

void Session::OnWritten(beast::error_code ec, bool close) {
  response_.reset();
  head_ = false;
  if (ec) return Close(false);
  if (close) return Close(linger_after_write_);
  WaitForRequest();
}

void Session::Close(bool linger) {
  if (closed_) return;
  closed_ = true;
  idle_ = false;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (!linger) {
    stream_.close();
    return;
  }
  // Closing with unread request bytes would make the kernel send a reset that can destroy the
  // error response before the client reads it; drain briefly until the client closes instead.
  stream_.expires_after(std::min<std::chrono::milliseconds>(core_->options.read_timeout,
                                                            std::chrono::seconds(2)));
  linger_sink_.resize(16 * 1024);
  struct Drain {
    std::shared_ptr<Session> self;
    void operator()(beast::error_code ec, std::size_t) {
      if (ec) {
        self->stream_.close();
        return;
      }
      self->stream_.async_read_some(asio::buffer(self->linger_sink_), std::move(*this));
    }
  };
  Drain{shared_from_this()}(beast::error_code{}, 0);
}

}  // namespace pn::http
