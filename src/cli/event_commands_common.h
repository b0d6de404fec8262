// Shared pieces of the eventget / eventpurge / eventretry subcommands: uuid arguments and the
// --date-format handling, with messages that name the offending argument.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace pn::cli {

inline constexpr char kDefaultDateFormat[] = "%Y-%m-%d %H:%M:%S";

// Canonical forms of the given event uuids; InvalidArgument naming the first bad one.
Result<std::vector<std::string>> CanonicalEventUuids(const std::vector<std::string>& args);

// Parses `value` of option `option` with `format`; InvalidArgument naming both.
Result<Timestamp> ParseDateOption(const std::string& option, const std::string& value,
                                  const std::string& format);

}  // namespace pn::cli
