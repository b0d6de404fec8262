// `pacifica-notifications-cmd eventretry UUID ...` (upstream §6.2, DESIGN §6): re-matches stored
// events against the CURRENT active subscriptions and queues one new pending delivery per match
// (EventStore::AddDeliveries, one transaction); a running server's delivery workers pick them
// up. Prints `<delivery uuid> - <subscription uuid>` per queued delivery and does not wait.
// Unknown event uuids are skipped with a note on `err`, as the original ignored them.
// Thread-safety: uses only its arguments.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "store/store.h"

namespace pn::cli {

// Exit codes: 0 queued (possibly nothing), 1 a bad uuid, an unreadable stored event, or a
// store error (nothing is queued then).
int RunEventRetry(EventStore& events, SubscriptionStore& subscriptions, const Clock& clock,
                  RandomSource& random, const std::vector<std::string>& uuids, std::ostream& out,
                  std::ostream& err);

}  // namespace pn::cli
