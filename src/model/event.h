// StoredEvent: one row of the original's `eventlog` table, an accepted event as stored.
// Thread-safety: plain value type.
#pragma once

#include <string>

#include "common/clock.h"

namespace pn {

struct StoredEvent {
  std::string uuid;      // canonical
  std::string jsondata;  // the event as structured JSON text (Python json.dumps style)
  Timestamp created{};
};

}  // namespace pn
