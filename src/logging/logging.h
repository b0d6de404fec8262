// Process logging on spdlog: level and format (text lines or JSON lines) chosen by
// configuration, and structured events (a message plus key/value fields) rendered for either
// format, so the request and delivery-attempt lines can be parsed by log shippers.
// Secrets: callers pass only what may be logged (no headers, bodies, auth or target URLs).
// Thread-safety: ConfigureLogging at start-up, before other threads log; LogEvent from any thread.
#pragma once

#include <spdlog/common.h>
#include <spdlog/sinks/sink.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace pn::logging {

enum class Format { kText, kJson };

// "trace", "debug", "info", "warning"/"warn", "error", "critical", "off"; InvalidArgument else.
Result<spdlog::level::level_enum> ParseLevel(std::string_view name);
// "text" or "json"; InvalidArgument else.
Result<Format> ParseFormat(std::string_view name);

struct LoggingOptions {
  spdlog::level::level_enum level = spdlog::level::info;
  Format format = Format::kText;
  bool to_stderr = true;
  std::vector<std::string> files;  // appended to
  std::vector<spdlog::sink_ptr> extra_sinks;  // e.g. a test's in-memory sink
};

// Replaces the default logger. InvalidArgument naming the file when one cannot be opened.
Status ConfigureLogging(const LoggingOptions& options);

using Fields = std::vector<std::pair<std::string, std::string>>;

// One structured line: text `message k=v k="v w"`, or JSON `{"time":..., "level":...,
// "message":..., "k": "v"}` when the format is JSON.
void LogEvent(spdlog::level::level_enum level, std::string_view message, const Fields& fields);

// The text and JSON renderings (tests).
std::string RenderText(std::string_view message, const Fields& fields);
std::string RenderJsonLine(std::string_view time, std::string_view level, std::string_view message,
                           const Fields& fields);

}  // namespace pn::logging
