#include "metrics/metrics.h"

namespace pn::metrics {

Metrics& NoopMetrics() {
  static Metrics noop;
  return noop;
}

std::string_view StatusClass(int status) {
  switch (status / 100) {
    case 1: return "1xx";
    case 2: return "2xx";
    case 3: return "3xx";
    case 4: return "4xx";
    case 5: return "5xx";
    default: return status == 0 ? "none" : "other";
  }
}

}  // namespace pn::metrics
