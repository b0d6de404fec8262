// Turns a POST /receive request into the events to store, in their structured JSON form.
// Accepts structured JSON (CloudEvents 0.1 and 1.0, or any JSON object), CloudEvents 1.0 binary
// mode (ce-* headers) and batches (application/cloudevents-batch+json).
// Errors, each with a message a sender can act on:
//   InvalidArgument   -> 400 (bad JSON, bad UTF-8, not an object, invalid CloudEvent, form body)
//   ResourceExhausted -> 413 (body larger than max_body_bytes)
//   Unimplemented     -> 415 (a CloudEvents format other than JSON)
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <vector>

#include "common/status.h"
#include "http/message.h"
#include "json/json.h"

namespace pn::ingest {

struct ReceiveLimits {
  size_t max_body_bytes = 10 * 1024 * 1024;  // [delivery] max_body_bytes
};

struct ReceivedEvents {
  std::vector<Json> events;  // structured form, in request order
  bool batch = false;        // answer with a JSON array of uuids instead of one uuid
};

Result<ReceivedEvents> ParseReceiveRequest(const http::Request& req, const ReceiveLimits& limits);

}  // namespace pn::ingest
