#include "cli/event_retry.h"

#include <ostream>

#include "cli/event_commands_common.h"
#include "ingest/new_delivery.h"
#include "json/json.h"
#include "match/subscription_index.h"

namespace pn::cli {
namespace {

Status Run(EventStore& events, SubscriptionStore& subscriptions, const Clock& clock,
           RandomSource& random, const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  PN_ASSIGN_OR_RETURN(auto uuids, CanonicalEventUuids(args));
  match::SubscriptionIndex index(subscriptions);
  PN_RETURN_IF_ERROR(index.Rebuild());
  auto snapshot = index.snapshot();
  const Timestamp now = clock.Now();
  std::vector<Delivery> queued;
  for (const auto& uuid : uuids) {
    PN_ASSIGN_OR_RETURN(auto event, events.FindEvent(uuid));
    if (!event) {
      err << "eventretry: no event " << uuid << ", skipped\n";
      continue;
    }
    auto doc = ParseJson(event->jsondata);
    if (!doc.ok()) {
      return InternalError("stored event " + uuid + " is not readable JSON: " +
                           doc.status().message());
    }
    for (const auto& sub : snapshot->Match(*doc)) {
      queued.push_back(ingest::NewPendingDelivery(uuid, sub->uuid, now, random));
    }
  }
  if (!queued.empty()) PN_RETURN_IF_ERROR(events.AddDeliveries(queued));
  for (const auto& d : queued) out << d.uuid << " - " << d.subscription_uuid << "\n";
  return OkStatus();
}

}  // namespace

int RunEventRetry(EventStore& events, SubscriptionStore& subscriptions, const Clock& clock,
                  RandomSource& random, const std::vector<std::string>& uuids, std::ostream& out,
                  std::ostream& err) {
  Status s = Run(events, subscriptions, clock, random, uuids, out, err);
  if (!s.ok()) {
    err << "eventretry: " << s.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace pn::cli
