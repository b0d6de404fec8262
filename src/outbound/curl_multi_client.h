// CurlMultiClient: HttpClient on the libcurl multi interface. One event-loop thread drives every
// transfer (curl_multi_poll, woken by Send), so thousands of requests can be in flight without a
// thread each; connections are reused through the multi handle's cache. Redirects are never
// followed, proxies from the environment and ~/.netrc are ignored, only http/https are allowed.
// Thread-safety: Send is safe from any thread. Callbacks run on the loop thread. The destructor
// completes every outstanding request with the error "HTTP client shut down" before returning.
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include "common/status.h"
#include "outbound/http_client.h"

namespace pn::outbound {

struct CurlMultiClientOptions {
  // Transfers attached to the multi handle at once; further requests wait in a FIFO.
  std::size_t max_concurrent = 4096;
  // Idle connections kept for reuse (CURLMOPT_MAXCONNECTS).
  long max_cached_connections = 1024;
  std::string user_agent = "pacifica-notifications";
  bool verify_tls = true;
};

class CurlMultiClient final : public HttpClient {
 public:
  // Initializes libcurl and starts the loop thread; Internal when libcurl cannot be set up.
  static Result<std::unique_ptr<CurlMultiClient>> Create(CurlMultiClientOptions options = {});
  ~CurlMultiClient() override;
  CurlMultiClient(const CurlMultiClient&) = delete;
  CurlMultiClient& operator=(const CurlMultiClient&) = delete;

  void Send(OutboundRequest request, ResponseCallback done) override;

  // Requests accepted and not yet completed (queued or on the wire).
  std::size_t Outstanding() const { return outstanding_.load(); }

 private:
  struct Transfer;
  CurlMultiClient(CurlMultiClientOptions options, void* multi);
  void Loop();
  // Attaches waiting transfers while slots are free; completes invalid ones at once.
  void Refill();
  void StartTransfer(std::unique_ptr<Transfer> t);
  void FinishTransfer(Transfer* t, int curl_code);
  void Complete(std::unique_ptr<Transfer> t);
  void ShutDownAll();

  const CurlMultiClientOptions options_;
  void* multi_;  // CURLM*, kept opaque so callers need no curl headers

  std::mutex mu_;
  std::deque<std::unique_ptr<Transfer>> incoming_;  // guarded by mu_
  bool stopping_ = false;                           // guarded by mu_

  // Loop-thread only.
  std::deque<std::unique_ptr<Transfer>> waiting_;
  std::unordered_set<Transfer*> active_;  // attached to the multi handle

  std::atomic<std::size_t> outstanding_{0};
  std::thread thread_;
};

}  // namespace pn::outbound
