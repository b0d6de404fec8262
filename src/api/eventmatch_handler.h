// The /eventmatch resource (DESIGN §4) and GET /health: thin adapters from HTTP to
// SubscriptionService and back. Validation lives in subscription_request, status mapping in
// error_response.
// Thread-safety: the registered handlers may run concurrently; the service and options must
// outlive the router.
#pragma once

#include <functional>

#include "api/identity.h"
#include "api/router.h"
#include "api/subscription_service.h"

namespace pn::api {

struct ApiOptions {
  IdentityOptions identity;
  bool redact_secrets = false;  // mask auth passwords/credentials in every response
};

// POST, GET (one and list), PUT, DELETE and HEAD on /eventmatch[/<uuid>] (or ?event_uuid=).
void AddEventmatchResource(Router& router, SubscriptionService& service, ApiOptions options);

// GET /health: 200 {"status": "ok"} while `ping` succeeds, else 503 with the error body.
void AddHealthResource(Router& router, std::function<Status()> ping);

}  // namespace pn::api
