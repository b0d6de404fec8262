// GET /openapi.json: the OpenAPI 3.1 description of every endpoint, kept in src/api/openapi.json
// and embedded into the binary at build time. The served copy carries this build's version and
// the configured user header name. tests/openapi validates real answers against it.
// Thread-safety: pure functions; the handler may run concurrently.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "api/router.h"
#include "common/status.h"

namespace pn::api {

struct EmbeddedFile {
  std::string_view path;
  std::string_view content;
};
// Generated from openapi.json by cmake/EmbedFiles.cmake.
std::span<const EmbeddedFile> EmbeddedOpenApi();

// The document with info.version and the user header parameter's name filled in.
Result<std::string> OpenApiDocument(std::string_view user_header);

// Registers GET /openapi.json; Internal from OpenApiDocument is reported at start-up.
Status AddOpenApiResource(Router& router, std::string_view user_header);

}  // namespace pn::api
