#include "cli/event_get.h"

#include <chrono>
#include <ostream>

#include "common/time_format.h"

namespace pn::cli {
namespace {

Status PrintEvent(EventStore& events, const StoredEvent& e, std::ostream& out) {
  PN_ASSIGN_OR_RETURN(auto deliveries, events.DeliveriesForEvent(e.uuid));
  out << "Event - " << e.uuid << "\n" << e.jsondata << "\n";
  for (const auto& d : deliveries) {
    out << "    ELM " << d.subscription_uuid << " (" << FormatIsoTimestamp(d.created)
        << ") policy " << d.policy_status_code << " target " << d.target_status_code << "\n";
  }
  return OkStatus();
}

Status Run(EventStore& events, const Clock& clock, const EventGetOptions& o, std::ostream& out,
           std::ostream& err) {
  if (!o.uuids.empty()) {
    PN_ASSIGN_OR_RETURN(auto uuids, CanonicalEventUuids(o.uuids));
    for (const auto& uuid : uuids) {
      PN_ASSIGN_OR_RETURN(auto event, events.FindEvent(uuid));
      if (!event) {
        err << "eventget: no event " << uuid << "\n";
        continue;
      }
      PN_RETURN_IF_ERROR(PrintEvent(events, *event, out));
    }
    return OkStatus();
  }
  if (o.limit < 0) {
    return InvalidArgumentError("--limit must not be negative, got " + std::to_string(o.limit));
  }
  const Timestamp now = clock.Now();
  Timestamp start = now - std::chrono::hours(24);
  Timestamp end = now;
  if (o.start_date) {
    PN_ASSIGN_OR_RETURN(start, ParseDateOption("--start-date", *o.start_date, o.date_format));
  }
  if (o.end_date) {
    PN_ASSIGN_OR_RETURN(end, ParseDateOption("--end-date", *o.end_date, o.date_format));
  }
  if (start > end) {
    return InvalidArgumentError("Start time " + FormatStorageTimestamp(start) +
                                " should be less than end time " + FormatStorageTimestamp(end));
  }
  PN_ASSIGN_OR_RETURN(auto listed, events.ListEvents(start, end, o.limit));
  for (const auto& e : listed) PN_RETURN_IF_ERROR(PrintEvent(events, e, out));
  return OkStatus();
}

}  // namespace

int RunEventGet(EventStore& events, const Clock& clock, const EventGetOptions& options,
                std::ostream& out, std::ostream& err) {
  Status s = Run(events, clock, options, out, err);
  if (!s.ok()) {
    err << "eventget: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace pn::cli
