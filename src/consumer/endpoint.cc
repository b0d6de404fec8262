#include "consumer/endpoint.h"

#include <string_view>

#include "common/uuid.h"
#include "http/server.h"

namespace pn::consumer {
namespace {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    for (int s : {18, 12, 6}) out += kAlphabet[(n >> s) & 63];
    out += '=';
  }
  return out;
}

http::Response JsonResponse(int status, const Json& body) {
  http::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.body = DumpPython(body);
  return r;
}

Json JobRecord(const Job& job) {
  Json event = Json::object();
  if (auto parsed = ParseJson(job.body); parsed.ok() && parsed->is_object()) event = *parsed;
  auto attr = [&](const char* name) { return event.contains(name) ? event[name] : Json(); };
  Json ids = Json::array();
  for (const auto& id : job.outcome.upload_job_ids) ids.push_back(id);
  return Json{{"taskID", job.id},
              {"taskStatus", job.state},
              {"cloudEventsVersion", attr("cloudEventsVersion")},
              {"eventType", attr("eventType")},
              {"eventID", attr("eventID")},
              {"source", attr("source")},
              {"eventTime", attr("eventTime")},
              {"eventData", job.body},
              {"exitCode", job.outcome.exit_code ? Json(*job.outcome.exit_code) : Json()},
              {"stdout", job.outcome.stdout_text},
              {"stderr", job.outcome.stderr_text},
              {"error", job.outcome.error},
              {"uploadJobIDs", ids},
              {"created", job.created},
              {"updated", job.updated}};
}

class ConsumerHandler {
 public:
  explicit ConsumerHandler(EndpointDeps deps) : deps_(std::move(deps)) {}

  http::Response Handle(const http::Request& req) {
    const std::string& path = req.path;
    if (path == "/receive") {
      if (req.method != "POST") return Error(405, "use POST to deliver an event to /receive");
      return Receive(req);
    }
    if (path == "/" || path.rfind("/status/", 0) == 0 || path.rfind("/get/", 0) == 0) {
      if (req.method != "GET" && req.method != "HEAD") return Error(405, "use GET on " + path);
      if (path == "/") return List();
      bool status_only = path.rfind("/status/", 0) == 0;
      return Lookup(path.substr(status_only ? 8 : 5), status_only);
    }
    return Error(404, "no such resource: " + path +
                          " (this consumer serves POST /receive, GET /status/<id>, GET /get/<id>, "
                          "GET /)");
  }

 private:
  http::Response Error(int status, const std::string& message) {
    return JsonError(status, message, deps_.version);
  }

  http::Response Receive(const http::Request& req) {
    if (!deps_.auth.Accepts(req.headers)) {
      http::Response r = Error(401, "missing or wrong credentials for this consumer's /receive");
      if (deps_.auth.type == CallbackAuth::Type::kBasic) {
        r.headers.Set("WWW-Authenticate", "Basic realm=\"consumer\"");
      }
      return r;
    }
    auto event = ParseJson(req.body);
    if (!event.ok()) return Error(400, "the body is not valid JSON: " + event.status().message());
    if (!event->is_object()) return Error(400, "the body must be a JSON object (a CloudEvent)");
    auto matched = jsonpath::Matches(*deps_.jsonpath, *event);
    Result<std::string> id = std::string();
    if (matched.ok() && *matched) {
      id = deps_.queue->Enqueue(req.body);
    } else {
      JobOutcome outcome;
      outcome.state = kJobNotMatched;
      outcome.error = matched.ok() ? "the event does not match this consumer's jsonpath2.txt"
                                   : "evaluating jsonpath2.txt failed: " +
                                         matched.status().message();
      id = deps_.queue->EnqueueFinished(req.body, outcome);
    }
    if (!id.ok()) return Error(500, "could not store the job: " + id.status().message());
    if (matched.ok() && *matched && deps_.on_enqueued) deps_.on_enqueued();
    return JsonResponse(200, Json(*id));
  }

  http::Response Lookup(const std::string& raw_id, bool status_only) {
    auto id = CanonicalUuid(raw_id);
    if (!id.ok()) return Error(422, "\"" + raw_id + "\" is not a job id (a UUID)");
    auto job = deps_.queue->Get(*id);
    if (!job.ok()) {
      if (job.status().code() == StatusCode::kNotFound) return Error(404, "no job " + *id);
      return Error(500, job.status().message());
    }
    return JsonResponse(200, status_only ? Json(job->state) : JobRecord(*job));
  }

  http::Response List() {
    auto jobs = deps_.queue->List();
    if (!jobs.ok()) return Error(500, jobs.status().message());
    Json out = Json::array();
    for (const auto& job : *jobs) {
      out.push_back({{"taskID", job.id}, {"taskStatus", job.state}, {"created", job.created},
                     {"updated", job.updated}});
    }
    return JsonResponse(200, out);
  }

  EndpointDeps deps_;
};

}  // namespace

Json CallbackAuth::ToSubscriptionAuth() const {
  switch (type) {
    case Type::kNone:
      return Json();
    case Type::kBasic:
      return Json{{"type", "basic"}, {"basic", {{"username", username}, {"password", password}}}};
    case Type::kHeader:
      return Json{{"type", "header"}, {"header", {{"type", scheme}, {"credentials", credentials}}}};
  }
  return Json();
}

bool CallbackAuth::Accepts(const http::Headers& headers) const {
  if (type == Type::kNone) return true;
  auto got = headers.Get("Authorization");
  if (!got) return false;
  std::string expected = type == Type::kBasic ? "Basic " + Base64(username + ":" + password)
                                              : scheme + " " + credentials;
  return *got == expected;
}

http::Response JsonError(int status, const std::string& message, const std::string& version) {
  std::string phrase = std::to_string(status) + " " + std::string(http::ReasonPhrase(status));
  return JsonResponse(status, Json{{"status", phrase},
                                   {"message", message},
                                   {"traceback", ""},
                                   {"version", version}});
}

http::Handler MakeConsumerHandler(EndpointDeps deps) {
  auto handler = std::make_shared<ConsumerHandler>(std::move(deps));
  return [handler](http::Request req, http::Responder respond) {
    respond(handler->Handle(req));
  };
}

}  // namespace pn::consumer
