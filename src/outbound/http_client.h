// HttpClient: the injectable, asynchronous outbound HTTP seam (policy calls, target deliveries).
// Implementations: CurlMultiClient (libcurl multi, one event-loop thread); tests use a scripted
// fake. Thread-safety: Send may be called from any thread concurrently. The callback runs exactly
// once, on a thread of the implementation's choosing (never inside the caller's Send for the curl
// client), so it must be cheap and must not block: hand the result to your own thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace pn::outbound {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct OutboundRequest {
  std::string method = "POST";
  std::string url;  // absolute http(s) URL; anything else completes with a transport error
  HeaderList headers;
  std::string body;
  Duration timeout = std::chrono::seconds(30);  // whole exchange, connect included
  // Response body bytes kept; the rest is read and discarded so the connection stays reusable.
  std::size_t max_response_bytes = 65536;
};

struct OutboundResponse {
  // 0 when no HTTP status was received; then `error` says why (refused, timeout, bad URL...).
  int status = 0;
  HeaderList headers;  // of the final response, names as received
  std::string body;    // at most max_response_bytes
  bool body_truncated = false;
  std::string error;  // transport error text; empty when a status was received
  Duration duration{};

  bool has_status() const { return error.empty() && status != 0; }
  // First value of the named header (case-insensitive), if present.
  std::optional<std::string_view> Header(std::string_view name) const;
};

using ResponseCallback = std::function<void(OutboundResponse)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Starts the exchange; `done` is called exactly once with the result.
  virtual void Send(OutboundRequest request, ResponseCallback done) = 0;
};

// Case-insensitive ASCII comparison, for header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

}  // namespace pn::outbound
