// `pacifica-notifications-cmd eventget [UUID ...] [--limit N] [--start-date S] [--end-date E]
// [--date-format F]` (upstream §6.2): prints stored events with their deliveries in the
// original's format:
//   Event - <event uuid>
//   <jsondata as stored>
//       ELM <subscription uuid> (<delivery created, isoformat>) policy <code> target <code>
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

struct EventGetOptions {
  std::vector<std::string> uuids;  // when given: exactly these events, no dates, no limit
  int limit = 10;
  std::optional<std::string> start_date;  // default: now - 1 day
  std::optional<std::string> end_date;    // default: now
  std::string date_format = kDefaultDateFormat;
};

// Exit codes: 0 printed (possibly nothing), 1 a bad date or uuid, start after end, or a store
// error (message on `err`).
int RunEventGet(EventStore& events, const Clock& clock, const EventGetOptions& options,
                std::ostream& out, std::ostream& err);

}  // namespace pn::cli
