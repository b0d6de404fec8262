// pacifica-notifications: the server (REST API + delivery workers). main() only wires: options
// and configuration, logging, the store, the schema check, then ServerApp until SIGTERM/SIGINT.
// Exit codes: 0 after a normal stop, 1 on a configuration/database/start-up error, 2 on a usage
// error.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

#include "app/server_app.h"
#include "common/clock.h"
#include "common/random.h"
#include "config/config.h"
#include "logging/logging.h"
#include "outbound/curl_multi_client.h"
#include "app/open_store.h"

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

pn::Status SetUpLogging(const pn::Config& config) {
  pn::logging::LoggingOptions options;
  // Level and format were validated with the rest of the configuration.
  auto level = pn::logging::ParseLevel(config.log_level);
  auto format = pn::logging::ParseFormat(config.log_format);
  if (!level.ok()) return level.status();
  if (!format.ok()) return format.status();
  options.level = *level;
  options.format = *format;
  options.to_stderr = config.server.log_screen ||
                      (config.server.error_log.empty() && config.server.access_log.empty());
  for (const std::string& file : {config.server.error_log, config.server.access_log}) {
    if (!file.empty()) options.files.push_back(file);
  }
  return pn::logging::ConfigureLogging(options);
}

}  // namespace

int main(int argc, char** argv) {
  // Block the stop signals in every thread; main waits for them with sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  CLI::App cli{"Pacifica Notifications server: the /eventmatch subscription API, /receive for "
               "CloudEvents, and the delivery workers.",
               "pacifica-notifications"};
  std::optional<std::string> config_path, cpconfig_path, address;
  std::optional<int> port;
  cli.add_option("-c,--config", config_path,
                 "Configuration file: the service INI ([notifications], [database], ...) and/or "
                 "the CherryPy-style sections ([global], [/]). Default: $NOTIFICATIONS_CONFIG or "
                 "~/.pacifica-notifications/config.ini");
  cli.add_option("--cpconfig", cpconfig_path,
                 "CherryPy-style file for server.socket_host, server.socket_port and log.*. "
                 "Default: $NOTIFICATIONS_CPCONFIG or ~/.pacifica-notifications/cpconfig.ini");
  cli.add_option("-p,--port", port, "Port to listen on (default 8070; 0 picks a free port). "
                                    "Overrides both files");
  cli.add_option("-a,--address", address,
                 "IP address to listen on (default 127.0.0.1). Overrides both files");
  std::string role_name = "all";
  cli.add_option("--role", role_name,
                 "What this process does: api (the HTTP API; stores events and deliveries "
                 "without delivering them), worker (delivers what any process stored; serves "
                 "only /health and /metrics) or all (both). Several processes of any role may "
                 "share one PostgreSQL database")
      ->default_str("all");
  std::optional<double> lease_margin_seconds;
  cli.add_option("--lease-margin", lease_margin_seconds,
                 "Seconds a delivery's lease lasts beyond the policy and target timeouts "
                 "(store latency, clock differences between machines sharing a database; "
                 "default 30). A killed process's deliveries are retried once it expires")
      ->check(CLI::Range(0.0, 86400.0));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    cli.exit(e);
    return kExitUsage;
  }

  auto role = pn::app::ParseServerRole(role_name);
  if (!role.ok()) {
    std::fprintf(stderr, "pacifica-notifications: --role: %s\n", role.status().message().c_str());
    return kExitUsage;
  }
  pn::app::ServerAppOptions app_options;
  app_options.role = *role;
  if (lease_margin_seconds) {
    app_options.lease_margin = std::chrono::duration_cast<pn::Duration>(
        std::chrono::duration<double>(*lease_margin_seconds));
  }

  pn::ConfigSources sources;
  sources.config_path = config_path;
  sources.cpconfig_path = cpconfig_path;
  sources.port = port;
  sources.address = address;
  sources.env = pn::CurrentEnvironment();
  sources.cpu_count = std::thread::hardware_concurrency();
  auto config = pn::LoadConfig(sources);
  if (!config.ok()) {
    std::fprintf(stderr, "pacifica-notifications: invalid configuration:\n%s\n",
                 config.status().message().c_str());
    return kExitError;
  }
  if (pn::Status s = SetUpLogging(*config); !s.ok()) {
    std::fprintf(stderr, "pacifica-notifications: %s\n", s.message().c_str());
    return kExitError;
  }
  for (const auto& file : config->files_read) spdlog::info("configuration read from {}", file);
  for (const auto& warning : config->warnings) spdlog::warn("{}", warning);
  if (config->policy_url.empty()) {
    spdlog::warn("policy_url is empty: events are delivered WITHOUT asking the Pacifica Policy "
                 "service whether the subscriber may see them");
  }

  std::string where = config->database.Redacted();
  // SQLite or PostgreSQL per peewee_url, retried connect_attempts x connect_wait.
  auto store = pn::OpenStore(config->database, pn::OpenStoreOptionsFrom(*config));
  if (!store.ok()) {
    spdlog::error("cannot open the database {}: {}", where, store.status().message());
    return kExitError;
  }
  // Creates the schema on an empty database; refuses an out-of-date one naming dbsync.
  if (pn::Status s = pn::PrepareSchemaForServing(**store); !s.ok()) {
    spdlog::error("database {}: {}", where, s.message());
    return kExitError;
  }
  auto http_client = pn::outbound::CurlMultiClient::Create();
  if (!http_client.ok()) {
    spdlog::error("cannot set up the HTTP client: {}", http_client.status().message());
    return kExitError;
  }

  auto app = pn::app::ServerApp::Start(*config, **store, **http_client,
                                       pn::SystemClock::Instance(),
                                       pn::SystemRandom::Instance(), app_options);
  if (!app.ok()) {
    spdlog::error("cannot start: {}", app.status().message());
    return kExitError;
  }
  spdlog::info("pacifica-notifications listening on http://{}:{} (role {})", (*app)->address(),
               (*app)->port(), pn::app::ServerRoleName(*role));

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("received {}, stopping: finishing requests in flight",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  bool clean = (*app)->Stop(std::chrono::seconds(10));
  if (!clean) spdlog::warn("some requests were still running at the stop deadline");
  app->reset();
  spdlog::info("stopped");
  return 0;
}
