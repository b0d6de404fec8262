#include "config/config.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "config/config_values.h"
#include "config/ini_reader.h"

extern char** environ;

namespace pn {
namespace {

namespace cv = config_values;
using std::chrono::seconds;

// A raw value and where it came from; later sources replace earlier ones.
struct RawValue {
  std::string value;
  std::string origin;  // "config.ini:12", "env PEEWEE_URL", "flag --port"
};

// Applies a final raw value to the Config; returns what is wrong, or nullopt.
using Setter = std::function<std::optional<std::string>(Config&, const std::string&)>;

struct KeySpec {
  const char* section;
  const char* key;
  const char* env;  // nullptr when no environment variable seeds it
  Setter set;
};

template <typename T, typename F>
std::optional<std::string> Apply(cv::Parsed<T> parsed, F assign) {
  if (auto* err = std::get_if<std::string>(&parsed)) return *err;
  assign(std::get<T>(parsed));
  return std::nullopt;
}

std::optional<std::string> NonEmpty(const std::string& v, std::string* field) {
  if (v.empty()) return std::string("must not be empty");
  *field = v;
  return std::nullopt;
}

Setter IntSetter(int64_t min, int64_t max, std::function<void(Config&, int64_t)> assign) {
  return [=](Config& c, const std::string& v) {
    return Apply(cv::ParseInteger(v, min, max), [&](int64_t n) { assign(c, n); });
  };
}

Setter SecondsSetter(double min, std::function<Duration&(Config&)> field) {
  return [=](Config& c, const std::string& v) {
    return Apply(cv::ParseSeconds(v, min), [&](Duration d) { field(c) = d; });
  };
}

const std::vector<KeySpec>& OurKeys() {
  static const std::vector<KeySpec> keys = {
      {"DEFAULT", "default_user", "DEFAULT_USER",
       [](Config& c, const std::string& v) { return NonEmpty(v, &c.default_user); }},
      {"notifications", "user_header", "USER_HEADER",
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         if (v.empty()) return "must not be empty";
         for (char ch : v) {
           if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) {
             return "'" + v + "' is not an HTTP header name (letters, digits, '-', '_')";
           }
         }
         c.user_header = v;
         return std::nullopt;
       }},
      {"notifications", "policy_url", "POLICY_URL",
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         if (auto err = cv::CheckHttpUrl(v)) return *err + " (leave it empty for no policy check)";
         c.policy_url = v;
         return std::nullopt;
       }},
      {"notifications", "redact_secrets", nullptr,
       [](Config& c, const std::string& v) {
         return Apply(cv::ParseBool(v), [&](bool b) { c.redact_secrets = b; });
       }},
      {"notifications", "log_level", "NOTIFICATIONS_LOG_LEVEL",
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         for (const char* level : {"trace", "debug", "info", "warning", "error", "critical", "off"}) {
           if (v == level) {
             c.log_level = v;
             return std::nullopt;
           }
         }
         return "'" + v + "' is not a log level (trace, debug, info, warning, error, critical, off)";
       }},
      {"notifications", "log_format", "NOTIFICATIONS_LOG_FORMAT",
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         if (v != "text" && v != "json") return "'" + v + "' is not a log format (text or json)";
         c.log_format = v;
         return std::nullopt;
       }},
      {"database", "peewee_url", "PEEWEE_URL",
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         auto url = ParseDatabaseUrl(v);
         if (!url.ok()) return url.status().message();
         c.peewee_url = v;
         c.database = *url;
         return std::nullopt;
       }},
      {"database", "connect_attempts", "DATABASE_CONNECT_ATTEMPTS",
       IntSetter(1, 1000000, [](Config& c, int64_t n) { c.connect_attempts = int(n); })},
      {"database", "connect_wait", "DATABASE_CONNECT_WAIT",
       SecondsSetter(0, [](Config& c) -> Duration& { return c.connect_wait; })},
      {"celery", "broker_url", "BROKER_URL",
       [](Config& c, const std::string& v) { c.broker_url = v; return std::optional<std::string>(); }},
      {"celery", "backend_url", "BACKEND_URL",
       [](Config& c, const std::string& v) { c.backend_url = v; return std::optional<std::string>(); }},
      {"delivery", "retry_schedule", nullptr,
       [](Config& c, const std::string& v) {
         return Apply(cv::ParseSchedule(v),
                      [&](std::vector<Duration> s) { c.delivery.retry_schedule = std::move(s); });
       }},
      {"delivery", "jitter", nullptr,
       [](Config& c, const std::string& v) {
         return Apply(cv::ParseNumber(v, 0, 1), [&](double j) { c.delivery.jitter = j; });
       }},
      {"delivery", "policy_timeout", nullptr,
       SecondsSetter(0.001, [](Config& c) -> Duration& { return c.delivery.policy_timeout; })},
      {"delivery", "target_timeout", nullptr,
       SecondsSetter(0.001, [](Config& c) -> Duration& { return c.delivery.target_timeout; })},
      {"delivery", "max_in_flight_per_target", nullptr,
       IntSetter(1, 100000, [](Config& c, int64_t n) { c.delivery.max_in_flight_per_target = int(n); })},
      {"delivery", "workers", nullptr,
       IntSetter(1, 1024, [](Config& c, int64_t n) { c.delivery.workers = int(n); })},
      {"delivery", "max_body_bytes", nullptr,
       IntSetter(1, int64_t{1} << 40, [](Config& c, int64_t n) { c.delivery.max_body_bytes = n; })},
      {"delivery", "response_body_limit", nullptr,
       IntSetter(0, int64_t{1} << 40,
                 [](Config& c, int64_t n) { c.delivery.response_body_limit = n; })},
  };
  return keys;
}

// The CherryPy keys we read; the raw-value map knows them as "cherrypy" + key.
const std::vector<KeySpec>& CherryPyKeys() {
  static const std::vector<KeySpec> keys = {
      {"cherrypy", "server.socket_host", nullptr,
       [](Config& c, const std::string& v) { return NonEmpty(v, &c.server.address); }},
      {"cherrypy", "server.socket_port", nullptr,
       IntSetter(0, 65535, [](Config& c, int64_t n) { c.server.port = int(n); })},
      {"cherrypy", "log.access_file", nullptr,
       [](Config& c, const std::string& v) { c.server.access_log = v; return std::optional<std::string>(); }},
      {"cherrypy", "log.error_file", nullptr,
       [](Config& c, const std::string& v) { c.server.error_log = v; return std::optional<std::string>(); }},
      {"cherrypy", "log.screen", nullptr,
       [](Config& c, const std::string& v) {
         return Apply(cv::ParseBool(v), [&](bool b) { c.server.log_screen = b; });
       }},
  };
  return keys;
}

bool IsOurSection(const std::string& s) {
  return s == "DEFAULT" || s == "notifications" || s == "database" || s == "celery" ||
         s == "delivery";
}

bool IsCherryPySection(const std::string& s) { return s == "global" || (!s.empty() && s[0] == '/'); }

class Loader {
 public:
  explicit Loader(const ConfigSources& sources) : sources_(sources) {}

  Result<Config> Load() {
    Config config;
    config.delivery.retry_schedule = DefaultRetrySchedule();
    unsigned cores = sources_.cpu_count ? sources_.cpu_count : std::thread::hardware_concurrency();
    config.delivery.workers = cores ? int(cores) : 1;
    config.database = *ParseDatabaseUrl(config.peewee_url);

    for (const KeySpec& k : OurKeys()) {
      if (k.env == nullptr) continue;
      if (auto it = sources_.env.find(k.env); it != sources_.env.end()) {
        raw_[Id(k.section, k.key)] = {it->second, std::string("env ") + k.env};
      }
    }
    if (auto path = ChooseFile(sources_.cpconfig_path, "--cpconfig", "NOTIFICATIONS_CPCONFIG",
                               "cpconfig.ini")) {
      ReadFile(*path, &config);
    }
    if (auto path = ChooseFile(sources_.config_path, "-c/--config", "NOTIFICATIONS_CONFIG",
                               "config.ini")) {
      ReadFile(*path, &config);
    }
    if (sources_.port) {
      raw_[Id("cherrypy", "server.socket_port")] = {std::to_string(*sources_.port), "flag --port"};
    }
    if (sources_.address) {
      raw_[Id("cherrypy", "server.socket_host")] = {*sources_.address, "flag --address"};
    }
    for (const auto* keys : {&OurKeys(), &CherryPyKeys()}) {
      for (const KeySpec& k : *keys) {
        auto it = raw_.find(Id(k.section, k.key));
        if (it == raw_.end()) continue;
        if (auto err = k.set(config, it->second.value)) {
          const std::string shown =
              std::string(k.section) == "cherrypy" ? std::string(k.key)
                                                    : std::string("[").append(k.section).append("] ").append(k.key);
          problems_.push_back(it->second.origin + ": " + shown + ": " + *err);
        }
      }
    }
    config.warnings.insert(config.warnings.end(), warnings_.begin(), warnings_.end());
    if (!problems_.empty()) {
      std::string message = "invalid configuration (" + std::to_string(problems_.size()) +
                             (problems_.size() == 1 ? " problem" : " problems") + "):";
      for (const std::string& p : problems_) message += "\n  " + p;
      return InvalidArgumentError(message);
    }
    return config;
  }

 private:
  static std::string Id(std::string_view section, std::string_view key) {
    return std::string(section) + "\n" + std::string(key);
  }

  std::optional<std::string> ChooseFile(const std::optional<std::string>& flag,
                                        const char* flag_name, const char* env_name,
                                        const char* home_file) {
    if (flag) {
      if (!std::filesystem::is_regular_file(*flag)) {
        problems_.push_back(std::string("flag ") + flag_name + ": '" + *flag +
                            "' is not a readable file");
        return std::nullopt;
      }
      return *flag;
    }
    if (auto it = sources_.env.find(env_name); it != sources_.env.end() && !it->second.empty()) {
      if (!std::filesystem::is_regular_file(it->second)) {
        problems_.push_back(std::string("env ") + env_name + ": '" + it->second +
                            "' is not a readable file");
        return std::nullopt;
      }
      return it->second;
    }
    if (auto it = sources_.env.find("HOME"); it != sources_.env.end() && !it->second.empty()) {
      std::string path = it->second + "/.pacifica-notifications/" + home_file;
      std::error_code ec;
      if (std::filesystem::is_regular_file(path, ec)) return path;
    }
    return std::nullopt;
  }

  void ReadFile(const std::string& path, Config* config) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      problems_.push_back(path + ": cannot be read");
      return;
    }
    std::stringstream text;
    text << in.rdbuf();
    config->files_read.push_back(path);
    IniDocument doc = ParseIni(text.str(), path);
    problems_.insert(problems_.end(), doc.errors.begin(), doc.errors.end());
    for (size_t i = 0; i < doc.sections.size(); ++i) {
      const std::string& s = doc.sections[i];
      if (!IsOurSection(s) && !IsCherryPySection(s)) {
        problems_.push_back(path + ":" + std::to_string(doc.section_lines[i]) +
                            ": unknown section [" + s +
                            "] (expected DEFAULT, notifications, database, celery, delivery, "
                            "or CherryPy's global and /)");
      }
    }
    for (const IniEntry& e : doc.entries) {
      const std::string origin = path + ":" + std::to_string(e.line);
      if (IsCherryPySection(e.section)) {
        if (IsKnown(CherryPyKeys(), "cherrypy", e.key)) {
          raw_[Id("cherrypy", e.key)] = {cv::StripPythonLiteral(e.value), origin};
        } else {
          warnings_.push_back(origin + ": [" + e.section + "] " + e.key +
                              " is a CherryPy setting this server does not use; ignored");
        }
      } else if (IsOurSection(e.section)) {
        if (IsKnown(OurKeys(), e.section, e.key)) {
          raw_[Id(e.section, e.key)] = {e.value, origin};
        } else {
          problems_.push_back(origin + ": unknown key '" + e.key + "' in [" + e.section + "]" +
                              KnownKeysHint(e.section));
        }
      }
    }
  }

  static bool IsKnown(const std::vector<KeySpec>& keys, const std::string& section,
                      const std::string& key) {
    for (const KeySpec& k : keys) {
      if (section == k.section && key == k.key) return true;
    }
    return false;
  }

  static std::string KnownKeysHint(const std::string& section) {
    std::string keys;
    for (const KeySpec& k : OurKeys()) {
      if (section != k.section) continue;
      keys += (keys.empty() ? "" : ", ") + std::string(k.key);
    }
    return " (known keys: " + keys + ")";
  }

  const ConfigSources& sources_;
  std::map<std::string, RawValue> raw_;
  std::vector<std::string> problems_;
  std::vector<std::string> warnings_;
};

}  // namespace

Result<Config> LoadConfig(const ConfigSources& sources) { return Loader(sources).Load(); }

std::map<std::string, std::string> CurrentEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

std::vector<Duration> DefaultRetrySchedule() {
  using std::chrono::hours;
  using std::chrono::minutes;
  return {seconds(5),  seconds(30), minutes(2), minutes(10), minutes(30),
          hours(1),    hours(3),    hours(6),   hours(12)};
}

}  // namespace pn
