#include "fakes/http_test_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace pn::testing {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Parses "HTTP/1.1 200 OK" and "Name: value" lines into *r; a status line starts a new response
// (curl reports interim 100 Continue responses too).
void AddHeaderLine(std::string_view line, TestResponse* r) {
  if (line.starts_with("HTTP/")) {
    r->headers.clear();
    auto sp = line.find(' ');
    r->status = sp == std::string_view::npos ? 0 : std::atoi(std::string(line.substr(sp + 1, 3)).c_str());
    return;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  r->headers.emplace_back(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<TestResponse*>(user)->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  AddHeaderLine(std::string_view(data, size * n), static_cast<TestResponse*>(user));
  return size * n;
}

}  // namespace

std::optional<std::string> TestResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

HttpTestClient::HttpTestClient(uint16_t port, std::string host)
    : curl_(curl_easy_init()), base_("http://" + host + ":" + std::to_string(port)) {}

HttpTestClient::~HttpTestClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Result<TestResponse> HttpTestClient::Send(const std::string& method, const std::string& target,
                                          const std::string& body,
                                          const std::vector<std::string>& headers) {
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return InternalError("curl_easy_init failed");
  curl_easy_reset(curl);  // keeps the open connection for reuse
  TestResponse response;
  std::string url = base_ + target;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!body.empty() || method == "POST" || method == "PUT") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
  }
  curl_slist* list = nullptr;
  bool has_content_type = false;
  for (const auto& h : headers) {
    list = curl_slist_append(list, h.c_str());
    if (h.size() >= 13 && EqualsIgnoreCase(std::string_view(h).substr(0, 13), "content-type:")) {
      has_content_type = true;
    }
  }
  // curl would label every body form-encoded, which the service treats specially.
  if (!has_content_type && method != "HEAD" && method != "GET") {
    list = curl_slist_append(list, "Content-Type: application/json");
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  long connects = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  connects_ += connects;
  if (rc != CURLE_OK) {
    return UnavailableError(method + " " + url + ": " + curl_easy_strerror(rc));
  }
  return response;
}

Result<std::unique_ptr<RawHttpConnection>> RawHttpConnection::Connect(uint16_t port,
                                                                      std::string host) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return UnavailableError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::string err = std::strerror(errno);
    ::close(fd);
    return UnavailableError("connect to " + host + ":" + std::to_string(port) + ": " + err);
  }
  return std::unique_ptr<RawHttpConnection>(new RawHttpConnection(fd));
}

RawHttpConnection::~RawHttpConnection() { ::close(fd_); }

Status RawHttpConnection::Write(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return UnavailableError(std::string("send: ") + std::strerror(errno));
    sent += static_cast<size_t>(n);
  }
  return OkStatus();
}

bool RawHttpConnection::Fill(std::chrono::steady_clock::time_point deadline, bool* timed_out) {
  *timed_out = false;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    *timed_out = true;
    return false;
  }
  pollfd p{fd_, POLLIN, 0};
  int ready = ::poll(&p, 1, static_cast<int>(left.count()));
  if (ready == 0) {
    *timed_out = true;
    return false;
  }
  if (ready < 0) return false;
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

Result<TestResponse> RawHttpConnection::ReadResponse(bool head, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  auto fail = [&](const std::string& what) -> Status {
    if (timed_out) return DeadlineExceededError("timed out " + what);
    return UnavailableError("connection closed " + what);
  };
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline, &timed_out)) return fail("before a complete response header");
  }
  TestResponse r;
  std::string_view head_text(buffer_.data(), end);
  size_t pos = 0;
  while (pos <= head_text.size()) {
    size_t eol = head_text.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = head_text.size();
    AddHeaderLine(head_text.substr(pos, eol - pos), &r);
    pos = eol + 2;
  }
  buffer_.erase(0, end + 4);
  if (head || r.status == 204 || r.status == 304) return r;
  auto te = r.Header("Transfer-Encoding");
  if (te && EqualsIgnoreCase(*te, "chunked")) {
    for (;;) {
      size_t line_end;
      while ((line_end = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill(deadline, &timed_out)) return fail("inside a chunked body");
      }
      size_t size = std::stoul(buffer_.substr(0, line_end), nullptr, 16);
      while (buffer_.size() < line_end + 2 + size + 2) {
        if (!Fill(deadline, &timed_out)) return fail("inside a chunked body");
      }
      r.body.append(buffer_, line_end + 2, size);
      buffer_.erase(0, line_end + 2 + size + 2);
      if (size == 0) return r;
    }
  }
  if (auto cl = r.Header("Content-Length")) {
    size_t length = std::stoul(*cl);
    while (buffer_.size() < length) {
      if (!Fill(deadline, &timed_out)) return fail("before the whole body arrived");
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }
  while (Fill(deadline, &timed_out)) {
  }
  if (timed_out) return fail("waiting for the end of a body without length");
  r.body = std::move(buffer_);
  buffer_.clear();
  return r;
}

bool RawHttpConnection::WaitForClose(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  while (Fill(deadline, &timed_out)) {
  }
  return !timed_out;
}

}  // namespace pn::testing
