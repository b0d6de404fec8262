// Parsers for single configuration values. Each returns the parsed value or a message saying
// what is wrong with the text (without the origin, which the caller adds).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.h"

namespace pn::config_values {

template <typename T>
using Parsed = std::variant<T, std::string>;  // value, or what is wrong

Parsed<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);
Parsed<double> ParseNumber(std::string_view text, double min, double max);
// Seconds, fractions allowed ("2.5"), at least `min_seconds`.
Parsed<Duration> ParseSeconds(std::string_view text, double min_seconds);
// ConfigParser's booleans: 1/yes/true/on, 0/no/false/off, any case (also Python's True/False).
Parsed<bool> ParseBool(std::string_view text);
// "5, 30, 120.5": comma-separated non-negative seconds; empty text is an empty schedule.
Parsed<std::vector<Duration>> ParseSchedule(std::string_view text);
// Empty, or an absolute http:// or https:// URL with a host.
std::optional<std::string> CheckHttpUrl(std::string_view text);
// CherryPy writes values as Python literals: 'access.log', "x", None. Strips the quotes;
// None becomes the empty string.
std::string StripPythonLiteral(std::string_view text);

}  // namespace pn::config_values
