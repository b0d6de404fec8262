#include "ui/ui_handler.h"

#include "api/error_response.h"

namespace pn::ui {
namespace {

std::string ContentTypeFor(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::optional<Asset> FindAsset(std::string_view name, std::string_view user) {
  if (name.empty()) name = "index.html";
  for (const EmbeddedFile& f : EmbeddedAssets()) {
    if (f.path != name) continue;
    Asset asset{ContentTypeFor(name), std::string(f.content)};
    if (name == "index.html") {
      static constexpr std::string_view kUser = "{{USER}}";
      if (auto at = asset.body.find(kUser); at != std::string::npos) {
        asset.body.replace(at, kUser.size(), HtmlEscape(user));
      }
    }
    return asset;
  }
  return std::nullopt;
}

void AddDashboardResource(api::Router& router, api::IdentityOptions identity) {
  router.Add(api::Resource{
      "/ui", {"GET"}, "asset",
      [identity = std::move(identity)](api::RouteRequest req, http::Responder respond) {
        auto asset = FindAsset(req.id.value_or(""), api::CallerIdentity(req.http, identity));
        if (!asset) return respond(api::ErrorResponse(404, "Nothing matches the given URI"));
        http::Response r;
        r.headers.Set("Content-Type", asset->content_type);
        // The page is personalised and the assets change with each build.
        r.headers.Set("Cache-Control", "no-cache");
        r.headers.Set("Content-Security-Policy",
                      "default-src 'self'; script-src 'self'; style-src 'self'; "
                      "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        r.headers.Set("X-Content-Type-Options", "nosniff");
        r.body = std::move(asset->body);
        respond(std::move(r));
      }});
}

}  // namespace pn::ui
