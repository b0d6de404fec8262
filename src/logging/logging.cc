#include "logging/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include "common/clock.h"
#include "common/time_format.h"
#include "json/json.h"

namespace pn::logging {
namespace {

std::atomic<Format> g_format{Format::kText};

// A structured event travels through spdlog as its JSON fields behind this marker, so the JSON
// formatter can merge them; plain messages (from code that calls spdlog directly) are escaped.
constexpr char kStructured = '\x1e';

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

// Log text may hold bytes that are not UTF-8 (a request path): replaced, never thrown on.
std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }
std::string Escaped(std::string_view text) { return Dump(Json(std::string(text))); }

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto micros = std::chrono::time_point_cast<std::chrono::microseconds>(msg.time);
    std::string time = FormatIsoTimestamp(Timestamp(micros.time_since_epoch())) + "Z";
    auto level_name = spdlog::level::to_string_view(msg.level);
    std::string_view level(level_name.data(), level_name.size());
    std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string line;
    if (!payload.empty() && payload.front() == kStructured) {
      // payload = marker + JSON object with "message" and the fields.
      line = "{\"time\":" + Escaped(time) + ",\"level\":" + Escaped(level) + "," +
             std::string(payload.substr(2));
    } else {
      line = RenderJsonLine(time, level, payload, {});
    }
    line.push_back('\n');
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

Result<spdlog::level::level_enum> ParseLevel(std::string_view name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "warning" || name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "critical") return spdlog::level::critical;
  if (name == "off") return spdlog::level::off;
  return InvalidArgumentError("log level must be one of trace, debug, info, warning, error, "
                              "critical, off; got \"" + std::string(name) + "\"");
}

Result<Format> ParseFormat(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return InvalidArgumentError("log format must be \"text\" or \"json\"; got \"" +
                              std::string(name) + "\"");
}

Status ConfigureLogging(const LoggingOptions& options) {
  std::vector<spdlog::sink_ptr> sinks;
  try {
    if (options.to_stderr) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    for (const std::string& file : options.files) {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(file));
    }
  } catch (const spdlog::spdlog_ex& e) {
    return InvalidArgumentError(std::string("cannot open a log file: ") + e.what());
  }
  sinks.insert(sinks.end(), options.extra_sinks.begin(), options.extra_sinks.end());
  auto logger = std::make_shared<spdlog::logger>("pacifica-notifications", sinks.begin(),
                                                 sinks.end());
  if (options.format == Format::kJson) {
    logger->set_formatter(std::make_unique<JsonLineFormatter>());
  }
  logger->set_level(options.level);
  logger->flush_on(spdlog::level::info);
  g_format.store(options.format);
  spdlog::set_default_logger(logger);
  return OkStatus();
}

std::string RenderText(std::string_view message, const Fields& fields) {
  std::string out(message);
  for (const auto& [key, value] : fields) {
    out += ' ' + key + '=';
    out += NeedsQuotes(value) ? Escaped(value) : value;
  }
  return out;
}

std::string RenderJsonLine(std::string_view time, std::string_view level, std::string_view message,
                           const Fields& fields) {
  Json j = Json::object();
  if (!time.empty()) j["time"] = std::string(time);
  if (!level.empty()) j["level"] = std::string(level);
  j["message"] = std::string(message);
  for (const auto& [key, value] : fields) j[key] = value;
  return Dump(j);
}

void LogEvent(spdlog::level::level_enum level, std::string_view message, const Fields& fields) {
  if (!spdlog::default_logger_raw()->should_log(level)) return;
  if (g_format.load() == Format::kJson) {
    spdlog::log(level, "{}{}", kStructured, RenderJsonLine("", "", message, fields));
  } else {
    spdlog::log(level, "{}", RenderText(message, fields));
  }
}

}  // namespace pn::logging
