#include "cli/event_purge.h"

#include <algorithm>
#include <chrono>
#include <ostream>
#include <span>

namespace pn::cli {
namespace {

class Purger {
 public:
  Purger(EventStore& events, const EventPurgeOptions& o, std::ostream& err)
      : events_(events), o_(o), err_(err) {}

  Status Batch(std::span<const std::string> uuids) {
    PN_ASSIGN_OR_RETURN(int64_t n, events_.PurgeEvents(uuids));
    purged_ += n;
    if (o_.progress) err_ << "\rpurged " << purged_ << " events" << std::flush;
    return OkStatus();
  }
  int64_t purged() const { return purged_; }

 private:
  EventStore& events_;
  const EventPurgeOptions& o_;
  std::ostream& err_;
  int64_t purged_ = 0;
};

Status Run(Purger& purger, EventStore& events, const Clock& clock, const EventPurgeOptions& o) {
  if (o.limit <= 0) {
    return InvalidArgumentError("--limit must be a positive number of events per batch, got " +
                                std::to_string(o.limit));
  }
  if (!o.uuids.empty()) {
    PN_ASSIGN_OR_RETURN(auto uuids, CanonicalEventUuids(o.uuids));
    for (size_t i = 0; i < uuids.size(); i += o.limit) {
      const size_t n = std::min(uuids.size() - i, static_cast<size_t>(o.limit));
      PN_RETURN_IF_ERROR(purger.Batch(std::span<const std::string>(uuids).subspan(i, n)));
    }
    return OkStatus();
  }
  Timestamp older_than = clock.Now() - std::chrono::hours(24);
  if (o.older_than_date) {
    PN_ASSIGN_OR_RETURN(older_than,
                        ParseDateOption("--older-than-date", *o.older_than_date, o.date_format));
  }
  for (;;) {
    PN_ASSIGN_OR_RETURN(auto uuids, events.EventsCreatedBefore(older_than, o.limit));
    if (uuids.empty()) return OkStatus();
    const int64_t before = purger.purged();
    PN_RETURN_IF_ERROR(purger.Batch(uuids));
    if (purger.purged() == before) {
      // Listed but not deleted: another purge raced us, or the store is inconsistent. Stop
      // rather than loop forever on the same rows.
      return InternalError("the store listed events to purge but deleted none of them");
    }
  }
}

}  // namespace

int RunEventPurge(EventStore& events, const Clock& clock, const EventPurgeOptions& options,
                  std::ostream& /*out*/, std::ostream& err) {
  Purger purger(events, options, err);
  Status s = Run(purger, events, clock, options);
  if (options.progress && purger.purged() > 0) err << "\n";
  if (!s.ok()) {
    err << "eventpurge: " << s.message();
    if (purger.purged() > 0) err << " (" << purger.purged() << " events were purged before this)";
    err << "\n";
    return 1;
  }
  return 0;
}

}  // namespace pn::cli
