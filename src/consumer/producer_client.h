// Registers and removes the consumer's subscription at the producer (pacifica-notifications):
// POST /eventmatch and DELETE /eventmatch/<uuid> with the user header, over libcurl easy.
// Thread-safety: each call uses its own curl handle; safe to call from any thread.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"
#include "json/json.h"

namespace pn::consumer {

struct ProducerSettings {
  std::string url = "http://127.0.0.1:8070";  // base URL, no trailing /eventmatch
  std::string user;
  std::string user_header = "Http-Remote-User";
  std::string username, password;  // optional HTTP Basic towards the producer (a proxy)
  std::string ca_bundle;           // "" = system default; "False" = do not verify
  std::chrono::milliseconds timeout{30000};
};

class ProducerClient {
 public:
  explicit ProducerClient(ProducerSettings settings) : settings_(std::move(settings)) {}

  // POSTs the subscription; returns the stored object (with its uuid). Unavailable when the
  // producer cannot be reached; FailedPrecondition with the producer's message when refused.
  Result<Json> Register(const Json& subscription) const;
  // DELETE; OK also when the producer answers 403/404 (already gone).
  Status Unregister(const std::string& uuid) const;
  const ProducerSettings& settings() const { return settings_; }

 private:
  struct Reply {
    long status = 0;
    std::string body;
  };
  Result<Reply> Call(const std::string& method, const std::string& url,
                     const std::string& body) const;
  ProducerSettings settings_;
};

}  // namespace pn::consumer
