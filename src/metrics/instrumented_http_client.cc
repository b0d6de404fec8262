#include "metrics/instrumented_http_client.h"

namespace pn::metrics {

InstrumentedHttpClient::InstrumentedHttpClient(outbound::HttpClient& inner,
                                               std::shared_ptr<Metrics> metrics,
                                               std::string policy_url)
    : inner_(inner), metrics_(std::move(metrics)) {
  if (!policy_url.empty()) {
    while (policy_url.ends_with('/')) policy_url.pop_back();
    policy_prefix_ = policy_url + "/events/";
  }
}

void InstrumentedHttpClient::Send(outbound::OutboundRequest request,
                                  outbound::ResponseCallback done) {
  bool policy = !policy_prefix_.empty() && request.url.starts_with(policy_prefix_);
  inner_.Send(std::move(request), [metrics = metrics_, policy, done = std::move(done)](
                                      outbound::OutboundResponse response) {
    int status = response.has_status() ? response.status : 0;
    if (policy) {
      metrics->PolicyCall(response.duration, status);
    } else {
      metrics->TargetCall(response.duration, status);
    }
    done(std::move(response));
  });
}

}  // namespace pn::metrics
