#include "outbound/curl_multi_client.h"

#include <curl/curl.h>

#include <mutex>
#include <utility>

namespace pn::outbound {
namespace {

constexpr char kShutDown[] = "HTTP client shut down";

std::once_flag g_curl_init_once;
CURLcode g_curl_init_result = CURLE_OK;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Rejects what curl would otherwise "fix up" (a missing scheme is guessed as http://).
std::string ValidateUrl(const std::string& url) {
  CURLU* u = curl_url();
  if (u == nullptr) return "out of memory parsing URL";
  std::string error;
  CURLUcode rc = curl_url_set(u, CURLUPART_URL, url.c_str(), 0);
  if (rc != CURLUE_OK) {
    error = "invalid URL '" + url + "': " +
            (url.find("://") == std::string::npos ? "no scheme, expected http:// or https://"
                                                  : curl_url_strerror(rc));
  } else {
    char* scheme = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK && scheme != nullptr) {
      std::string s = scheme;
      if (s != "http" && s != "https") {
        error = "invalid URL '" + url + "': scheme '" + s + "' is not http or https";
      }
      curl_free(scheme);
    }
  }
  curl_url_cleanup(u);
  return error;
}

}  // namespace

struct CurlMultiClient::Transfer {
  OutboundRequest request;
  ResponseCallback done;
  OutboundResponse response;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (header_list != nullptr) curl_slist_free_all(header_list);
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    size_t len = size * n;
    std::string& body = t->response.body;
    size_t room = t->request.max_response_bytes > body.size()
                      ? t->request.max_response_bytes - body.size()
                      : 0;
    if (len > room) t->response.body_truncated = true;
    body.append(data, len < room ? len : room);
    return len;  // keep reading the rest so the connection can be reused
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    size_t len = size * n;
    std::string_view line(data, len);
    if (line.starts_with("HTTP/")) {
      t->response.headers.clear();  // a new response (after 100 Continue or a redirect answer)
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      t->response.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                       std::string(Trim(line.substr(colon + 1))));
    }
    return len;
  }
};

Result<std::unique_ptr<CurlMultiClient>> CurlMultiClient::Create(CurlMultiClientOptions options) {
  std::call_once(g_curl_init_once, [] { g_curl_init_result = curl_global_init(CURL_GLOBAL_ALL); });
  if (g_curl_init_result != CURLE_OK) {
    return InternalError(std::string("libcurl initialization failed: ") +
                         curl_easy_strerror(g_curl_init_result));
  }
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return InternalError("libcurl: curl_multi_init failed");
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_cached_connections);
  return std::unique_ptr<CurlMultiClient>(new CurlMultiClient(std::move(options), multi));
}

CurlMultiClient::CurlMultiClient(CurlMultiClientOptions options, void* multi)
    : options_(std::move(options)), multi_(multi) {
  thread_ = std::thread([this] { Loop(); });
}

CurlMultiClient::~CurlMultiClient() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(static_cast<CURLM*>(multi_));
  thread_.join();
  curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

void CurlMultiClient::Send(OutboundRequest request, ResponseCallback done) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      outstanding_.fetch_add(1);
      incoming_.push_back(std::move(t));
    }
  }
  if (t) {  // refused: the loop is gone or going
    t->response.error = kShutDown;
    t->done(std::move(t->response));
    return;
  }
  curl_multi_wakeup(static_cast<CURLM*>(multi_));
}

void CurlMultiClient::Loop() {
  CURLM* multi = static_cast<CURLM*>(multi_);
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
      while (!incoming_.empty()) {
        waiting_.push_back(std::move(incoming_.front()));
        incoming_.pop_front();
      }
    }
    // Refill before polling, and again after completions free slots, so no request waits a
    // whole poll interval for a slot that is already free.
    bool progressed = true;
    while (progressed) {
      Refill();
      int running = 0;
      curl_multi_perform(multi, &running);
      progressed = false;
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Transfer* t = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
        FinishTransfer(t, msg->data.result);
        progressed = true;
      }
      if (waiting_.empty()) break;
    }
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  ShutDownAll();
}

void CurlMultiClient::Refill() {
  while (!waiting_.empty() && active_.size() < options_.max_concurrent) {
    std::unique_ptr<Transfer> t = std::move(waiting_.front());
    waiting_.pop_front();
    StartTransfer(std::move(t));
  }
}

void CurlMultiClient::StartTransfer(std::unique_ptr<Transfer> t) {
  if (std::string error = ValidateUrl(t->request.url); !error.empty()) {
    t->response.error = std::move(error);
    Complete(std::move(t));
    return;
  }
  CURL* e = curl_easy_init();
  if (e == nullptr) {
    t->response.error = "libcurl: curl_easy_init failed";
    Complete(std::move(t));
    return;
  }
  t->easy = e;
  const OutboundRequest& r = t->request;
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // "" disables proxies, env variables included
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // decode gzip/deflate as the original did
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.timeout).count();
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms > 0 ? timeout_ms : 1));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
  if (r.method == "GET") {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (r.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    if (r.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }
  // "Expect:" stops curl from waiting for 100 Continue on large bodies.
  t->header_list = curl_slist_append(t->header_list, "Expect:");
  for (const auto& [name, value] : r.headers) {
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    t->header_list = curl_slist_append(t->header_list, line.c_str());
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);
  CURLMcode rc = curl_multi_add_handle(static_cast<CURLM*>(multi_), e);
  if (rc != CURLM_OK) {
    t->response.error = std::string("libcurl: ") + curl_multi_strerror(rc);
    Complete(std::move(t));
    return;
  }
  active_.insert(t.get());
  t.release();  // owned by the multi handle until FinishTransfer
}

void CurlMultiClient::FinishTransfer(Transfer* raw, int curl_code) {
  std::unique_ptr<Transfer> t(raw);
  curl_multi_remove_handle(static_cast<CURLM*>(multi_), t->easy);
  active_.erase(raw);
  curl_off_t total_us = 0;
  curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &total_us);
  t->response.duration = Duration(total_us);
  auto code = static_cast<CURLcode>(curl_code);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    t->response.status = static_cast<int>(status);
  } else {
    t->response.status = 0;
    t->response.error = t->errbuf[0] != '\0' ? std::string(t->errbuf) : curl_easy_strerror(code);
  }
  Complete(std::move(t));
}

void CurlMultiClient::Complete(std::unique_ptr<Transfer> t) {
  ResponseCallback done = std::move(t->done);
  OutboundResponse response = std::move(t->response);
  t.reset();
  outstanding_.fetch_sub(1);
  done(std::move(response));
}

void CurlMultiClient::ShutDownAll() {
  CURLM* multi = static_cast<CURLM*>(multi_);
  for (Transfer* raw : active_) {
    std::unique_ptr<Transfer> t(raw);
    curl_multi_remove_handle(multi, t->easy);
    t->response.error = kShutDown;
    Complete(std::move(t));
  }
  active_.clear();
  {
    std::lock_guard lock(mu_);
    while (!incoming_.empty()) {
      waiting_.push_back(std::move(incoming_.front()));
      incoming_.pop_front();
    }
  }
  while (!waiting_.empty()) {
    std::unique_ptr<Transfer> t = std::move(waiting_.front());
    waiting_.pop_front();
    t->response.error = kShutDown;
    Complete(std::move(t));
  }
}

}  // namespace pn::outbound
