// The embedded dashboard assets and their personalisation.
#include "ui/ui_handler.h"

#include <gtest/gtest.h>

#include "api/router.h"

namespace pn::ui {
namespace {

TEST(FindAsset, ThePageIsServedForTheEmptyNameAndIndexHtml) {
  auto page = FindAsset("", "alice");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("<strong id=\"user\">alice</strong>"), std::string::npos);
  EXPECT_EQ(FindAsset("index.html", "alice")->body, page->body);
}

TEST(FindAsset, TheUserNameIsHtmlEscaped) {
  auto page = FindAsset("", "<script>x</script>");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->body.find("<script>x"), std::string::npos);
  EXPECT_NE(page->body.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
}

TEST(FindAsset, ScriptAndStyleHaveTheirContentTypes) {
  EXPECT_EQ(FindAsset("app.js", "u")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(FindAsset("style.css", "u")->content_type, "text/css; charset=utf-8");
}

TEST(FindAsset, UnknownNamesAreNotFound) {
  EXPECT_FALSE(FindAsset("../CMakeLists.txt", "u").has_value());
  EXPECT_FALSE(FindAsset("nope.js", "u").has_value());
}

TEST(FindAsset, AssetsRequestNothingFromOtherHosts) {
  // (Placeholder text may show a URL; nothing may load one.)
  for (const auto& f : EmbeddedAssets()) {
    for (const char* load : {"src=\"http", "href=\"http", "url(http", "fetch('http", "//cdn"}) {
      EXPECT_EQ(f.content.find(load), std::string_view::npos) << f.path << ": " << load;
    }
  }
}

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
}

TEST(DashboardResource, ServesThePageForTheCallerWithSecurityHeaders) {
  api::Router router;
  AddDashboardResource(router, api::IdentityOptions{"X-User", "nobody"});
  http::Request req;
  req.method = "GET";
  req.path = "/ui";
  req.headers.Add("x-user", "erin");
  http::Response out;
  router.Handle(std::move(req), [&](http::Response r) { out = std::move(r); });
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(out.body.find(">erin<"), std::string::npos);
  EXPECT_EQ(out.headers.Get("X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(out.headers.Get("Content-Security-Policy").has_value());
}

TEST(DashboardResource, UnknownAssetIsA404WithTheJsonErrorBody) {
  api::Router router;
  AddDashboardResource(router, api::IdentityOptions{});
  http::Request req;
  req.method = "GET";
  req.path = "/ui/missing.css";
  http::Response out;
  router.Handle(std::move(req), [&](http::Response r) { out = std::move(r); });
  EXPECT_EQ(out.status, 404);
  EXPECT_EQ(out.headers.Get("Content-Type"), "application/json");
}

}  // namespace
}  // namespace pn::ui
