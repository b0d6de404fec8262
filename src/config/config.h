// The validated configuration of every binary, loaded from the service INI, the CherryPy-style
// file, the environment and command-line flags (DESIGN §2, §5).
// Precedence, highest first: flags > INI files > environment > defaults. When both files set
// the same key, the -c/NOTIFICATIONS_CONFIG file wins over the --cpconfig one.
// Thread-safety: LoadConfig is a pure function of its sources (it reads the named files);
// Config is a plain value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "config/database_url.h"

namespace pn {

// What the CherryPy-style sections ([global], [/]) configure.
struct ServerConfig {
  std::string address = "127.0.0.1";
  int port = 8070;            // 0 = any free port (tests)
  std::string access_log;     // log.access_file; empty = none
  std::string error_log;      // log.error_file; empty = none
  bool log_screen = true;     // log.screen
};

// [delivery] (DESIGN §5).
struct DeliveryConfig {
  std::vector<Duration> retry_schedule;  // delays after the first attempt
  double jitter = 0.2;                   // 0..1, fraction of each delay
  Duration policy_timeout = std::chrono::seconds(10);
  Duration target_timeout = std::chrono::seconds(30);
  int max_in_flight_per_target = 8;
  int workers = 1;  // default: the number of cores (ConfigSources::cpu_count)
  int64_t max_body_bytes = 10 * 1024 * 1024;
  int64_t response_body_limit = 65536;
};

struct Config {
  // [DEFAULT]
  std::string default_user = "default_user";
  // [notifications]
  std::string user_header = "Http-Remote-User";
  std::string policy_url = "http://localhost:8181";  // empty = no policy check
  bool redact_secrets = false;
  // Logging: level (trace, debug, info, warning, error, critical, off) and line format
  // (text, or json for one JSON object per line).
  std::string log_level = "info";
  std::string log_format = "text";
  // [database]
  std::string peewee_url = "sqliteext:///pacifica-notifications.db";
  DatabaseUrl database;  // peewee_url parsed
  int connect_attempts = 10;
  Duration connect_wait = std::chrono::seconds(20);
  // [celery]: accepted for compatibility, unused.
  std::string broker_url = "redis://localhost:6379/0";
  std::string backend_url = "rpc://";
  // [global] / [/] and the -p / -a flags.
  ServerConfig server;
  DeliveryConfig delivery;

  // Files actually read, in the order applied.
  std::vector<std::string> files_read;
  // Things accepted but worth telling the operator (ignored CherryPy keys, ...).
  std::vector<std::string> warnings;
};

struct ConfigSources {
  // -c/--config; when unset: env NOTIFICATIONS_CONFIG, else ~/.pacifica-notifications/config.ini
  // if that exists. A file named explicitly (flag or env) must be readable.
  std::optional<std::string> config_path;
  // --cpconfig; when unset: env NOTIFICATIONS_CPCONFIG, else
  // ~/.pacifica-notifications/cpconfig.ini if that exists. Optional.
  std::optional<std::string> cpconfig_path;
  // The process environment (see CurrentEnvironment()); logic never calls getenv.
  std::map<std::string, std::string> env;
  // -p/--port and -a/--address.
  std::optional<int> port;
  std::optional<std::string> address;
  // The default of [delivery] workers; 0 = std::thread::hardware_concurrency().
  unsigned cpu_count = 0;
};

// InvalidArgument listing every problem, one per line, each with where it came from
// ("config.ini:12: [delivery] jitter: ...", "env PEEWEE_URL: ...", "flag --port: ...").
Result<Config> LoadConfig(const ConfigSources& sources);

// The process environment as a map, for main() to put into ConfigSources.
std::map<std::string, std::string> CurrentEnvironment();

// The default retry schedule of DESIGN §5: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h.
std::vector<Duration> DefaultRetrySchedule();

}  // namespace pn
