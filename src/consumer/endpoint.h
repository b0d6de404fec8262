// The runner's HTTP surface (reference/consumer.md §3.3), as one pn::http::Handler:
//   POST /receive     store the event as a job (durably) and answer 200 with the job id
//   GET  /status/<id> the job state string; GET /get/<id> the full record; GET / every job.
// The producer disables a subscription on any 4xx/5xx, so a well-formed event that does not match
// jsonpath2.txt is still answered 200 and recorded as "422 Unprocessable Entity".
// Thread-safety: the handler may run on several server threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "consumer/job_queue.h"
#include "http/message.h"
#include "jsonpath/jsonpath.h"

namespace pn::consumer {

// How the producer authenticates its deliveries (becomes the subscription's `auth`).
struct CallbackAuth {
  enum class Type { kNone, kBasic, kHeader } type = Type::kNone;
  std::string username, password;   // basic
  std::string scheme, credentials;  // header: "Authorization: <scheme> <credentials>"
  // The eventmatch `auth` object, or null for kNone.
  Json ToSubscriptionAuth() const;
  // True when the request's Authorization header carries these credentials.
  bool Accepts(const http::Headers& headers) const;
};

struct EndpointDeps {
  JobQueue* queue;
  std::shared_ptr<const jsonpath::Path> jsonpath;  // the consumer's jsonpath2.txt
  CallbackAuth auth;
  std::function<void()> on_enqueued;  // wakes the workers
  std::string version;
};

http::Handler MakeConsumerHandler(EndpointDeps deps);

// The JSON error body used for every error answer.
http::Response JsonError(int status, const std::string& message, const std::string& version);

}  // namespace pn::consumer
