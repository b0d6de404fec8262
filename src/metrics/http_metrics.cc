#include "metrics/http_metrics.h"

#include <algorithm>

namespace pn::metrics {

http::Handler MakeMetricsHandler(PrometheusMetrics& metrics,
                                 std::function<ScrapeGauges()> refresh) {
  return [&metrics, refresh = std::move(refresh)](http::Request, http::Responder respond) {
    if (refresh) metrics.SetScrapeGauges(refresh());
    http::Response r{200, {}, metrics.Exposition()};
    r.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    respond(std::move(r));
  };
}

std::string_view ReceiveOutcome(int status) {
  switch (status) {
    case 200: return "accepted";
    case 400: return "invalid";
    case 413: return "too_large";
    case 415: return "unsupported";
    case 503: return "unavailable";
    default: return "error";
  }
}

http::Handler CountReceived(http::Handler receive, Metrics& metrics) {
  return [receive = std::move(receive), &metrics](http::Request request, http::Responder respond) {
    receive(std::move(request), [&metrics, respond = std::move(respond)](http::Response r) {
      // A batch is answered with a JSON array of uuids: one quoted uuid per event.
      int64_t quotes = std::count(r.body.begin(), r.body.end(), '"');
      bool batch = r.status == 200 && r.body.find('[') == 0;
      int64_t count = batch ? quotes / 2 : 1;
      metrics.EventsReceived(ReceiveOutcome(r.status), count);
      respond(std::move(r));
    });
  };
}

}  // namespace pn::metrics
