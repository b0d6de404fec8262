#include "app/server_app.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "api/deliveries_handler.h"
#include "api/error_response.h"
#include "api/eventmatch_handler.h"
#include "api/identity.h"
#include "api/openapi.h"
#include "api/router.h"
#include "api/subscription_service.h"
#include "api/test_jsonpath_handler.h"
#include "app/index_refresher.h"
#include "common/uuid.h"
#include "delivery/worker.h"
#include "http/server.h"
#include "ingest/group_committer.h"
#include "ingest/receive_handler.h"
#include "logging/request_log.h"
#include "match/subscription_index.h"
#include "metrics/http_metrics.h"
#include "metrics/instrumented_http_client.h"
#include "metrics/instrumented_store.h"
#include "metrics/prometheus_metrics.h"
#include "metrics/scrape_gauges.h"
#include "ui/ui_handler.h"

namespace pn::app {

struct ServerApp::Parts {
  // Declared first so they outlive everything that reports to them.
  std::shared_ptr<metrics::PrometheusMetrics> metrics;
  std::unique_ptr<metrics::InstrumentedStore> store;
  std::unique_ptr<metrics::InstrumentedHttpClient> http_client;
  std::unique_ptr<match::SubscriptionIndex> index;
  std::unique_ptr<IndexRefresher> refresher;
  // [delivery] workers of them, each with its own processing thread (none for the api role).
  std::vector<std::unique_ptr<delivery::Worker>> workers;
  std::unique_ptr<ingest::GroupCommitter> committer;  // null for the worker role
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

// One of `count` workers: the per-target cap is shared out among them, so the process as a whole
// keeps [delivery] max_in_flight_per_target.
delivery::WorkerOptions WorkerOptionsFrom(const Config& config, const ServerAppOptions& options,
                                          const std::string& owner, int count) {
  delivery::WorkerOptions o;
  o.idle_recheck = options.worker_idle_recheck;
  if (options.lease_margin) o.lease_margin = *options.lease_margin;
  o.owner = owner;
  o.policy_url = config.policy_url;
  o.policy_timeout = config.delivery.policy_timeout;
  o.target_timeout = config.delivery.target_timeout;
  if (!config.delivery.retry_schedule.empty()) o.retry_schedule = config.delivery.retry_schedule;
  o.jitter = config.delivery.jitter;
  o.max_in_flight_per_target =
      std::max(1, (config.delivery.max_in_flight_per_target + count - 1) / count);
  o.response_body_limit = static_cast<std::size_t>(config.delivery.response_body_limit);
  return o;
}

// A start that failed after the background parts began: stop them at once.
void StopBackground(ServerApp::Parts& parts) {
  if (parts.committer) parts.committer->Stop();
  for (auto& w : parts.workers) w->Stop(std::chrono::milliseconds(0));
  if (parts.refresher) parts.refresher->Stop();
}

}  // namespace

Result<ServerRole> ParseServerRole(std::string_view name) {
  if (name == "all") return ServerRole::kAll;
  if (name == "api") return ServerRole::kApi;
  if (name == "worker") return ServerRole::kWorker;
  return InvalidArgumentError("unknown role \"" + std::string(name) +
                              "\": use api (HTTP API only), worker (deliveries only) or all");
}

std::string_view ServerRoleName(ServerRole role) {
  switch (role) {
    case ServerRole::kApi:
      return "api";
    case ServerRole::kWorker:
      return "worker";
    case ServerRole::kAll:
      break;
  }
  return "all";
}

Result<std::unique_ptr<ServerApp>> ServerApp::Start(const Config& config, Store& raw_store,
                                                    outbound::HttpClient& raw_http_client,
                                                    const Clock& clock, RandomSource& random,
                                                    ServerAppOptions options) {
  auto parts = std::make_unique<Parts>();
  // Every store operation and outbound call is measured for /metrics.
  parts->metrics = std::make_shared<metrics::PrometheusMetrics>();
  parts->store = std::make_unique<metrics::InstrumentedStore>(raw_store, *parts->metrics);
  parts->http_client = std::make_unique<metrics::InstrumentedHttpClient>(
      raw_http_client, parts->metrics, config.policy_url);
  Store& store = *parts->store;
  outbound::HttpClient& http_client = *parts->http_client;
  metrics::PrometheusMetrics& metrics = *parts->metrics;
  parts->index = std::make_unique<match::SubscriptionIndex>(store.subscriptions());
  PN_RETURN_IF_ERROR(parts->index->Sync().WithContext("loading the subscriptions"));
  // Subscription changes made through other processes sharing the database.
  parts->refresher = std::make_unique<IndexRefresher>(
      store.subscriptions(), *parts->index,
      IndexRefresherOptions{.poll_interval = options.index_refresh});
  const bool serves_api = options.role != ServerRole::kWorker;
  const bool delivers = options.role != ServerRole::kApi;

  if (delivers) {
    // Several workers record attempts in parallel: each records one at a time, and a database
    // server's round trips and commit would otherwise bound a process's delivery rate.
    const int count = std::max(1, config.delivery.workers);
    const std::string owner = WorkerOwner(random);
    for (int i = 1; i <= count; ++i) {
      delivery::WorkerOptions worker_options =
          WorkerOptionsFrom(config, options, owner + "/" + std::to_string(i), count);
      worker_options.on_recorded = [&metrics](const delivery::AttemptRecord& r) {
        metrics.AttemptRecorded(r.delivery, r.attempt, r.disable_error.has_value());
        logging::LogAttempt(r.delivery, r.attempt, r.disable_error.has_value());
      };
      parts->workers.push_back(std::make_unique<delivery::Worker>(
          std::move(worker_options), store.deliveries(), store.events(), store.subscriptions(),
          http_client, clock, random));
      parts->workers.back()->Start();
    }
    // The owner prefix names this process in the leases it takes (operators, multi-process
    // tests).
    spdlog::info("delivery workers started: {}, lease owners {}/1..{}, lease {:.1f} s", count,
                 owner, count,
                 std::chrono::duration<double>(parts->workers[0]->LeaseDuration()).count());
  }
  std::vector<delivery::Worker*> workers;
  for (auto& w : parts->workers) workers.push_back(w.get());
  if (serves_api) {
    ingest::GroupCommitterOptions committer_options;
    committer_options.metrics = &metrics;
    // Without a worker here, the stored deliveries wait for a worker process's next poll.
    parts->committer = std::make_unique<ingest::GroupCommitter>(
        store.events(), *parts->index, clock, random,
        [workers] {
          for (delivery::Worker* w : workers) w->Notify();
        },
        committer_options);
  }

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
  api::AddHealthResource(*parts->router, [&store] { return store.Ping(); });
  if (serves_api) {
    api::AddEventmatchResource(*parts->router, *parts->subscriptions, api_options);
    ingest::ReceiveHandlerOptions receive_options;
    receive_options.limits.max_body_bytes = static_cast<size_t>(config.delivery.max_body_bytes);
    parts->router->Mount(
        "/receive", {"POST"},
        metrics::CountReceived(ingest::MakeReceiveHandler(*parts->committer, receive_options),
                               metrics));
    api::AddDeliveriesResource(*parts->router, *parts->subscriptions, store.deliveries(),
                               store.events(), api_options.identity);
    api::AddTestJsonpathResource(*parts->router);
    if (Status s = api::AddOpenApiResource(*parts->router, config.user_header); !s.ok()) {
      StopBackground(*parts);
      return s;
    }
    ui::AddDashboardResource(*parts->router, api_options.identity);
  }
  parts->router->Mount("/metrics", {"GET"},
                       metrics::MakeMetricsHandler(metrics, [&store, &clock, index] {
                         return metrics::ReadScrapeGauges(
                             store.deliveries(), store.subscriptions(),
                             static_cast<int64_t>(index->snapshot()->size()), clock);
                       }));

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
  server_options.access_log = logging::LogServerRejections();
  auto server = http::Server::Start(
      server_options, logging::LogRequests(parts->router->AsHandler(), api_options.identity));
  if (!server.ok()) {
    StopBackground(*parts);
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
  if (parts_->committer) parts_->committer->Stop();
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  // Each worker hands back or finishes its own calls; they share the grace period.
  std::vector<std::thread> stopping;
  for (auto& w : parts_->workers) {
    stopping.emplace_back([&w, left] { w->Stop(std::max(left, std::chrono::milliseconds(0))); });
  }
  for (auto& t : stopping) t.join();
  parts_->refresher->Stop();
  return parts_->clean;
}

}  // namespace pn::app
