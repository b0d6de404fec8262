#include "consumer/producer_client.h"

#include <curl/curl.h>

#include <memory>

namespace pn::consumer {
namespace {

size_t Collect(char* data, size_t size, size_t n, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * n);
  return size * n;
}

std::string Trimmed(const std::string& base) {
  std::string out = base;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

// The producer's error body carries a "message"; fall back to the raw text.
std::string ProducerMessage(const std::string& body) {
  auto parsed = ParseJson(body);
  if (parsed.ok() && parsed->is_object() && (*parsed).contains("message") &&
      (*parsed)["message"].is_string()) {
    return (*parsed)["message"].get<std::string>();
  }
  return body.size() > 500 ? body.substr(0, 500) + "..." : body;
}

}  // namespace

Result<ProducerClient::Reply> ProducerClient::Call(const std::string& method,
                                                   const std::string& url,
                                                   const std::string& body) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return InternalError("curl_easy_init failed");
  Reply reply;
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  std::string identity = settings_.user_header + ": " + settings_.user;
  headers = curl_slist_append(headers, identity.c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers,
                                                                           curl_slist_free_all);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  if (!body.empty() || method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  if (!settings_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  if (settings_.ca_bundle == "False" || settings_.ca_bundle == "false") {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!settings_.ca_bundle.empty() && settings_.ca_bundle != "True" &&
             settings_.ca_bundle != "true") {
    curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_bundle.c_str());
  }
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    return UnavailableError("cannot reach the producer (" + method + " " + url + "): " +
                            (error[0] != '\0' ? std::string(error) : curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Result<Json> ProducerClient::Register(const Json& subscription) const {
  std::string url = Trimmed(settings_.url) + "/eventmatch";
  PN_ASSIGN_OR_RETURN(Reply reply, Call("POST", url, DumpCompact(subscription)));
  if (reply.status != 200 && reply.status != 201) {
    return FailedPreconditionError("the producer refused the subscription (POST " + url +
                                   " answered HTTP " + std::to_string(reply.status) +
                                   "): " + ProducerMessage(reply.body));
  }
  auto stored = ParseJson(reply.body);
  if (!stored.ok() || !stored->is_object() || !stored->contains("uuid") ||
      !(*stored)["uuid"].is_string()) {
    return FailedPreconditionError("the producer's answer to POST " + url +
                                   " has no subscription uuid: " + ProducerMessage(reply.body));
  }
  return *stored;
}

Status ProducerClient::Unregister(const std::string& uuid) const {
  std::string url = Trimmed(settings_.url) + "/eventmatch/" + uuid;
  PN_ASSIGN_OR_RETURN(Reply reply, Call("DELETE", url, ""));
  if (reply.status == 200 || reply.status == 204 || reply.status == 403 || reply.status == 404) {
    return OkStatus();
  }
  return FailedPreconditionError("the producer refused to delete subscription " + uuid + " (HTTP " +
                                 std::to_string(reply.status) + "): " +
                                 ProducerMessage(reply.body));
}

}  // namespace pn::consumer
