// Rendering and parsing of timestamps in the forms the original used.
// API form (Python isoformat): "YYYY-MM-DDTHH:MM:SS.ffffff", fraction dropped when zero.
// Storage form (peewee on SQLite): "YYYY-MM-DD HH:MM:SS.ffffff", same rule for the fraction.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace pn {

std::string FormatIsoTimestamp(Timestamp t);      // 2026-11-29T05:50:17.807933
std::string FormatStorageTimestamp(Timestamp t);  // 2026-11-29 05:50:17.807933

// Accepts "YYYY-MM-DD[T| ]HH:MM:SS[.f{1,6}]" with an optional trailing "Z" or "+00:00".
Result<Timestamp> ParseTimestamp(std::string_view text);

// strptime-style parsing for the CLI's --date-format (interpreted as UTC).
Result<Timestamp> ParseTimestampWithFormat(std::string_view text, const std::string& format);

}  // namespace pn
