// The web dashboard at /ui: plain HTML, CSS and JavaScript (src/ui/assets) embedded into the
// binary at build time and served by the server itself, so it works without network access.
// GET /ui (and /ui/, /ui/index.html) is the page, with the caller's name (same user header as
// the API) filled in; /ui/app.js and /ui/style.css are its assets. Anything else under /ui: 404.
// Thread-safety: the handler may run concurrently.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/identity.h"
#include "api/router.h"

namespace pn::ui {

struct EmbeddedFile {
  std::string_view path;     // relative to src/ui/assets, e.g. "app.js"
  std::string_view content;
};
// Generated from src/ui/assets by cmake/EmbedFiles.cmake.
std::span<const EmbeddedFile> EmbeddedAssets();

struct Asset {
  std::string content_type;
  std::string body;
};

// The asset answering `name` ("" or "index.html" = the page, personalised for `user`), or
// nullopt when there is none.
std::optional<Asset> FindAsset(std::string_view name, std::string_view user);

// "<b>" -> "&lt;b&gt;" (also & and quotes).
std::string HtmlEscape(std::string_view text);

void AddDashboardResource(api::Router& router, api::IdentityOptions identity);

}  // namespace pn::ui
