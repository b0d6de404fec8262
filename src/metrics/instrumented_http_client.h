// An HttpClient decorator that reports each finished outbound call to Metrics: calls whose URL
// starts with the policy prefix ("{policy_url}/events/") count as policy calls, all others as
// target calls. The duration is the one the wrapped client measured.
// Thread-safety: as the wrapped client, which must outlive this. The metrics are shared with
// the callbacks, which may run after this decorator is gone (calls abandoned at a stop).
#pragma once

#include <memory>
#include <string>

#include "metrics/metrics.h"
#include "outbound/http_client.h"

namespace pn::metrics {

class InstrumentedHttpClient final : public outbound::HttpClient {
 public:
  // `policy_url` as configured ("" = no policy service: every call is a target call).
  InstrumentedHttpClient(outbound::HttpClient& inner, std::shared_ptr<Metrics> metrics,
                         std::string policy_url);
  void Send(outbound::OutboundRequest request, outbound::ResponseCallback done) override;

 private:
  outbound::HttpClient& inner_;
  std::shared_ptr<Metrics> metrics_;
  std::string policy_prefix_;
};

}  // namespace pn::metrics
