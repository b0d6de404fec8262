// FakeHttpClient: a scripted HttpClient for unit tests. Responses are scripted per URL (used in
// order, the last one repeats); every request is recorded. In automatic mode Send completes at
// once, inside Send; in manual mode requests wait until the test completes them.
// Thread-safety: all methods are internally locked; callbacks run without the lock held.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outbound/http_client.h"

namespace pn::testing {

class FakeHttpClient final : public outbound::HttpClient {
 public:
  static outbound::OutboundResponse Status(int code, std::string body = "",
                                           outbound::HeaderList headers = {});
  static outbound::OutboundResponse TransportError(std::string text);

  void Send(outbound::OutboundRequest request, outbound::ResponseCallback done) override;

  // Unscripted URLs answer with the transport error "FakeHttpClient: no script for <url>".
  void Script(const std::string& url, std::vector<outbound::OutboundResponse> responses);
  void SetManual(bool manual);

  std::vector<outbound::OutboundRequest> Requests() const;
  std::vector<outbound::OutboundRequest> RequestsTo(std::string_view url) const;
  std::size_t PendingCount() const;
  std::size_t PendingCountFor(std::string_view url) const;
  // Completes the oldest pending request to `url` with its scripted answer; false when none.
  bool CompleteNext(std::string_view url);
  // Completes every pending request with its scripted answer; returns how many.
  std::size_t CompleteAll();

 private:
  struct Pending {
    outbound::OutboundRequest request;
    outbound::ResponseCallback done;
  };
  outbound::OutboundResponse NextResponseLocked(const std::string& url);

  mutable std::mutex mu_;
  bool manual_ = false;
  std::vector<outbound::OutboundRequest> requests_;
  std::deque<Pending> pending_;
  std::map<std::string, std::pair<std::vector<outbound::OutboundResponse>, std::size_t>> scripts_;
};

}  // namespace pn::testing
