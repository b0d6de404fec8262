// `pacifica-notifications-cmd eventpurge [UUID ...] [--older-than-date D] [--date-format F]
// [--limit N]` (upstream §6.2, with the documented --limit): deletes the given events, or every
// event created before D (default: now - 1 day), with their deliveries and attempts, N events
// per transaction so a large purge never holds one long lock. Subscriptions are never purged.
// Thread-safety: uses only its arguments.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/event_commands_common.h"
#include "common/clock.h"
#include "store/store.h"

namespace pn::cli {

struct EventPurgeOptions {
  std::vector<std::string> uuids;
  std::optional<std::string> older_than_date;
  std::string date_format = kDefaultDateFormat;
  int limit = 1000;       // events deleted per transaction (batch size), > 0
  bool progress = false;  // "purged N events" on `err` after each batch (when it is a terminal)
};

// Prints nothing on `out` (as the original). Exit codes: 0 done, 1 bad date/uuid/limit or a
// store error (events purged before the error stay purged; the message says how many).
int RunEventPurge(EventStore& events, const Clock& clock, const EventPurgeOptions& options,
                  std::ostream& out, std::ostream& err);

}  // namespace pn::cli
