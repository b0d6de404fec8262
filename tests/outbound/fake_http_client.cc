#include "outbound/fake_http_client.h"

#include <algorithm>

namespace pn::testing {

using outbound::OutboundRequest;
using outbound::OutboundResponse;

OutboundResponse FakeHttpClient::Status(int code, std::string body, outbound::HeaderList headers) {
  OutboundResponse r;
  r.status = code;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.duration = std::chrono::milliseconds(3);
  return r;
}

OutboundResponse FakeHttpClient::TransportError(std::string text) {
  OutboundResponse r;
  r.error = std::move(text);
  r.duration = std::chrono::milliseconds(1);
  return r;
}

void FakeHttpClient::Send(OutboundRequest request, outbound::ResponseCallback done) {
  OutboundResponse response;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (manual_) {
      pending_.push_back({std::move(request), std::move(done)});
      return;
    }
    response = NextResponseLocked(request.url);
  }
  done(std::move(response));
}

OutboundResponse FakeHttpClient::NextResponseLocked(const std::string& url) {
  auto it = scripts_.find(url);
  if (it == scripts_.end() || it->second.first.empty()) {
    return TransportError("FakeHttpClient: no script for " + url);
  }
  auto& [responses, next] = it->second;
  OutboundResponse r = responses[std::min(next, responses.size() - 1)];
  ++next;
  return r;
}

void FakeHttpClient::Script(const std::string& url, std::vector<OutboundResponse> responses) {
  std::lock_guard lock(mu_);
  scripts_[url] = {std::move(responses), 0};
}

void FakeHttpClient::SetManual(bool manual) {
  std::lock_guard lock(mu_);
  manual_ = manual;
}

std::vector<OutboundRequest> FakeHttpClient::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<OutboundRequest> FakeHttpClient::RequestsTo(std::string_view url) const {
  std::lock_guard lock(mu_);
  std::vector<OutboundRequest> out;
  for (const auto& r : requests_) {
    if (r.url == url) out.push_back(r);
  }
  return out;
}

std::size_t FakeHttpClient::PendingCount() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

std::size_t FakeHttpClient::PendingCountFor(std::string_view url) const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::count_if(
      pending_.begin(), pending_.end(), [&](const Pending& p) { return p.request.url == url; }));
}

bool FakeHttpClient::CompleteNext(std::string_view url) {
  Pending p;
  OutboundResponse response;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(pending_.begin(), pending_.end(),
                           [&](const Pending& q) { return q.request.url == url; });
    if (it == pending_.end()) return false;
    p = std::move(*it);
    pending_.erase(it);
    response = NextResponseLocked(p.request.url);
  }
  p.done(std::move(response));
  return true;
}

std::size_t FakeHttpClient::CompleteAll() {
  std::size_t n = 0;
  while (true) {
    Pending p;
    OutboundResponse response;
    {
      std::lock_guard lock(mu_);
      if (pending_.empty()) return n;
      p = std::move(pending_.front());
      pending_.pop_front();
      response = NextResponseLocked(p.request.url);
    }
    p.done(std::move(response));
    ++n;
  }
}

}  // namespace pn::testing
