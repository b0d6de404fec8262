#include "ingest/receive_handler.h"

#include <memory>
#include <utility>

#include "api/error_response.h"

namespace pn::ingest {
namespace {

// Status -> HTTP through the API's one mapping, except that an event format we cannot read is
// 415 here (Unimplemented is 501 elsewhere).
http::Response Failure(const Status& s) {
  const int status = s.code() == StatusCode::kUnimplemented ? 415 : api::HttpStatusFor(s.code());
  return api::ErrorResponse(status, s.message());
}

}  // namespace

http::Handler MakeReceiveHandler(GroupCommitter& committer, ReceiveHandlerOptions options) {
  auto opts = std::make_shared<const ReceiveHandlerOptions>(std::move(options));
  return [&committer, opts](http::Request req, http::Responder respond) {
    if (req.method != "POST") {
      http::Response resp = api::ErrorResponse(405, "Specified method is invalid for this resource");
      resp.headers.Add("Allow", "POST");
      respond(std::move(resp));
      return;
    }
    auto parsed = ParseReceiveRequest(req, opts->limits);
    if (!parsed.ok()) {
      respond(Failure(parsed.status()));
      return;
    }
    const bool batch = parsed->batch;
    committer.Submit(
        std::move(parsed->events),
        [opts, batch, respond = std::move(respond)](Result<std::vector<std::string>> stored) {
          if (!stored.ok()) {
            respond(Failure(stored.status()));
            return;
          }
          http::Response resp;
          if (batch) {
            resp.headers.Add("Content-Type", "application/json");
            resp.body = DumpPython(Json(*stored));
          } else {
            resp.headers.Add("Content-Type", "text/plain; charset=utf-8");
            resp.body = stored->front();
          }
          respond(std::move(resp));
        });
  };
}

}  // namespace pn::ingest
