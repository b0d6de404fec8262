// POST /eventmatch/test: evaluates a jsonpath2 expression against an event without storing
// anything, so a user can see what a subscription would select before creating it.
//   request  {"jsonpath": "<expression>", "event": <any JSON>}
//   200      {"jsonpath": "<as str(Path) renders it>", "matches": bool,
//             "results": [{"path": "<normalized>", "value": <json>}, ...], "error": null|"..."}
//   400      bad JSON, a missing/ill-typed member, or a jsonpath syntax error (with position)
// An evaluation error is not a request error: it is reported in "error" with "matches": false,
// since a subscription whose path fails to evaluate does not match (DESIGN §5).
// Thread-safety: pure function; the handler may run concurrently.
#pragma once

#include <string_view>

#include "api/router.h"
#include "common/status.h"
#include "json/json.h"

namespace pn::api {

// The response document for one request body, or InvalidArgument naming what was wrong.
Result<Json> TestJsonpath(std::string_view body);

void AddTestJsonpathResource(Router& router);

}  // namespace pn::api
