#include "api/openapi.h"

#include "api/error_response.h"
#include "json/json.h"

namespace pn::api {

Result<std::string> OpenApiDocument(std::string_view user_header) {
  auto files = EmbeddedOpenApi();
  if (files.empty()) return InternalError("the OpenAPI document was not embedded in this build");
  auto doc = ParseJson(files.front().content);
  if (!doc.ok()) return InternalError("the embedded OpenAPI document: " + doc.status().message());
  (*doc)["info"]["version"] = std::string(ServiceVersion());
  (*doc)["components"]["parameters"]["User"]["name"] = std::string(user_header);
  return DumpCompact(*doc);
}

Status AddOpenApiResource(Router& router, std::string_view user_header) {
  PN_ASSIGN_OR_RETURN(std::string document, OpenApiDocument(user_header));
  router.Add(Resource{"/openapi.json", {"GET"}, "",
                      [document = std::move(document)](RouteRequest, http::Responder respond) {
                        respond(JsonResponse(document));
                      }});
  return OkStatus();
}

}  // namespace pn::api
