// The HTTP handler for POST /receive: parses the request (receive_parser.h), hands the events to
// the GroupCommitter and answers only once they and their deliveries are durable:
//   200 text/plain <uuid>                 one event (structured or binary mode)
//   200 application/json ["<uuid>", ...]  a batch (application/cloudevents-batch+json)
//   400/413/415/503 (and 405 for another method) with the JSON error body of src/api.
// Thread-safety: the returned handler may run on any number of threads at once.
#pragma once

#include <string>

#include "http/message.h"
#include "ingest/group_committer.h"
#include "ingest/receive_parser.h"

namespace pn::ingest {

struct ReceiveHandlerOptions {
  ReceiveLimits limits;
};

// `committer` must outlive the handler.
http::Handler MakeReceiveHandler(GroupCommitter& committer, ReceiveHandlerOptions options = {});

}  // namespace pn::ingest
