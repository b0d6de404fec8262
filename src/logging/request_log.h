// The per-request and per-delivery-attempt log lines (DESIGN: issue 8). A request line carries
// method, path, status, duration, user and, where the request concerns them, the event uuid(s)
// (an accepted /receive) and the subscription uuid (/eventmatch/<uuid>..., a created
// subscription), plus the error message of an error answer. Headers, bodies, auth and target
// URLs are never logged (they may hold secrets).
// Thread-safety: the returned handler/hook may run concurrently.
#pragma once

#include <functional>

#include "api/identity.h"
#include "http/message.h"
#include "http/server.h"
#include "logging/logging.h"
#include "model/delivery.h"

namespace pn::logging {

// Wraps the application's handler: logs one line when each dispatched request is answered.
http::Handler LogRequests(http::Handler inner, api::IdentityOptions identity);

// The server's access hook for requests answered by the server itself before dispatch
// (malformed, too large, missing length, timeouts), which LogRequests never sees.
std::function<void(const http::ExchangeRecord&)> LogServerRejections();

// The fields of a request line (tests).
Fields RequestFields(const http::Request& request, const http::Response& response,
                     std::string_view user, Duration elapsed);

// One line per recorded delivery attempt: delivery, event and subscription uuids, attempt
// number, outcome (delivered, denied, failed, retry), policy/target statuses, error, duration.
void LogAttempt(const Delivery& after, const DeliveryAttempt& attempt, bool subscription_disabled);
Fields AttemptFields(const Delivery& after, const DeliveryAttempt& attempt,
                     bool subscription_disabled);

}  // namespace pn::logging
