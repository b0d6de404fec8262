#include "app/server_app.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <thread>

#include "api/error_response.h"
#include "api/eventmatch_handler.h"
#include "api/identity.h"
#include "api/router.h"
#include "api/subscription_service.h"
#include "common/uuid.h"
#include "delivery/worker.h"
#include "http/server.h"
#include "ingest/group_committer.h"
#include "ingest/receive_handler.h"
#include "match/subscription_index.h"

namespace pn::app {

struct ServerApp::Parts {
  std::unique_ptr<match::SubscriptionIndex> index;
  std::unique_ptr<delivery::Worker> worker;
  std::unique_ptr<ingest::GroupCommitter> committer;
  std::unique_ptr<api::SubscriptionService> subscriptions;
  std::unique_ptr<api::Router> router;
  std::unique_ptr<http::Server> server;
  bool stopped = false;
  bool clean = true;
};

namespace {

std::string WorkerOwner(RandomSource& random) {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + NewUuid4(random);
}

delivery::WorkerOptions WorkerOptionsFrom(const Config& config, RandomSource& random) {
  delivery::WorkerOptions o;
  o.owner = WorkerOwner(random);
  o.policy_url = config.policy_url;
  o.policy_timeout = config.delivery.policy_timeout;
  o.target_timeout = config.delivery.target_timeout;
  if (!config.delivery.retry_schedule.empty()) o.retry_schedule = config.delivery.retry_schedule;
  o.jitter = config.delivery.jitter;
  o.max_in_flight_per_target = config.delivery.max_in_flight_per_target;
  o.response_body_limit = static_cast<std::size_t>(config.delivery.response_body_limit);
  return o;
}

// One line per answered request: method, path, status, duration, user.
std::function<void(const http::ExchangeRecord&)> AccessLog(api::IdentityOptions identity) {
  return [identity = std::move(identity)](const http::ExchangeRecord& rec) {
    spdlog::info("{} {} {} {:.3f}ms user={}", rec.request.method, rec.request.path, rec.status,
                 static_cast<double>(rec.duration.count()) / 1000.0,
                 api::CallerIdentity(rec.request, identity));
  };
}

}  // namespace

Result<std::unique_ptr<ServerApp>> ServerApp::Start(const Config& config, Store& store,
                                                    outbound::HttpClient& http_client,
                                                    const Clock& clock, RandomSource& random,
                                                    ServerAppOptions options) {
  auto parts = std::make_unique<Parts>();
  parts->index = std::make_unique<match::SubscriptionIndex>(store.subscriptions());
  PN_RETURN_IF_ERROR(parts->index->Sync().WithContext("loading the subscriptions"));

  parts->worker = std::make_unique<delivery::Worker>(
      WorkerOptionsFrom(config, random), store.deliveries(), store.events(), store.subscriptions(),
      http_client, clock, random);
  parts->worker->Start();
  delivery::Worker* worker = parts->worker.get();
  parts->committer = std::make_unique<ingest::GroupCommitter>(
      store.events(), *parts->index, clock, random, [worker] { worker->Notify(); });

  match::SubscriptionIndex* index = parts->index.get();
  parts->subscriptions = std::make_unique<api::SubscriptionService>(
      store.subscriptions(), clock, random, [index](const Subscription& s) {
        Status st = index->OnSubscriptionChanged(s);
        if (!st.ok()) spdlog::warn("subscription index: {}: {}", s.uuid, st.ToString());
      });

  api::ApiOptions api_options;
  api_options.identity.user_header = config.user_header;
  api_options.identity.default_user = config.default_user;
  api_options.redact_secrets = config.redact_secrets;

  parts->router = std::make_unique<api::Router>();
  api::AddEventmatchResource(*parts->router, *parts->subscriptions, api_options);
  api::AddHealthResource(*parts->router, [&store] { return store.Ping(); });
  ingest::ReceiveHandlerOptions receive_options;
  receive_options.limits.max_body_bytes = static_cast<size_t>(config.delivery.max_body_bytes);
  receive_options.version = std::string(api::ServiceVersion());
  parts->router->Mount("/receive", {"POST"},
                       ingest::MakeReceiveHandler(*parts->committer, receive_options));

  http::ServerOptions server_options;
  server_options.address = config.server.address;
  server_options.port = static_cast<uint16_t>(config.server.port);
  server_options.threads =
      options.http_threads > 0
          ? options.http_threads
          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  server_options.max_body_bytes = static_cast<size_t>(config.delivery.max_body_bytes);
  server_options.idle_timeout = options.idle_timeout;
  server_options.read_timeout = options.read_timeout;
  server_options.error_response = [](int status, std::string_view message) {
    return api::ErrorResponse(status, message);
  };
  server_options.access_log = AccessLog(api_options.identity);
  auto server = http::Server::Start(server_options, parts->router->AsHandler());
  if (!server.ok()) {
    parts->committer->Stop();
    parts->worker->Stop(std::chrono::milliseconds(0));
    return server.status();
  }
  parts->server = std::move(server).value();
  return std::unique_ptr<ServerApp>(new ServerApp(std::move(parts)));
}

ServerApp::ServerApp(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

ServerApp::~ServerApp() { Stop(); }

uint16_t ServerApp::port() const { return parts_->server->port(); }

std::string ServerApp::address() const { return parts_->server->address(); }

bool ServerApp::Stop(std::chrono::milliseconds deadline) {
  if (parts_->stopped) return parts_->clean;
  parts_->stopped = true;
  auto until = std::chrono::steady_clock::now() + deadline;
  // HTTP first: /receive requests in flight still need the committer to answer.
  parts_->clean = parts_->server->Stop(deadline);
  parts_->committer->Stop();
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  parts_->worker->Stop(std::max(left, std::chrono::milliseconds(0)));
  return parts_->clean;
}

}  // namespace pn::app
