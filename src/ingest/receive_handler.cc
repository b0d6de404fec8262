#include "ingest/receive_handler.h"

#include <memory>
#include <utility>

#include "ingest/error_response.h"

namespace pn::ingest {
namespace {

http::Response Failure(const Status& s, const std::string& version) {
  return ErrorResponse(ReceiveHttpStatus(s.code()), s.message(), version);
}

}  // namespace

http::Handler MakeReceiveHandler(GroupCommitter& committer, ReceiveHandlerOptions options) {
  auto opts = std::make_shared<const ReceiveHandlerOptions>(std::move(options));
  return [&committer, opts](http::Request req, http::Responder respond) {
    if (req.method != "POST") {
      http::Response resp =
          ErrorResponse(405, "Specified method is invalid for this resource", opts->version);
      resp.headers.Add("Allow", "POST");
      respond(std::move(resp));
      return;
    }
    auto parsed = ParseReceiveRequest(req, opts->limits);
    if (!parsed.ok()) {
      respond(Failure(parsed.status(), opts->version));
      return;
    }
    const bool batch = parsed->batch;
    committer.Submit(
        std::move(parsed->events),
        [opts, batch, respond = std::move(respond)](Result<std::vector<std::string>> stored) {
          if (!stored.ok()) {
            respond(Failure(stored.status(), opts->version));
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
