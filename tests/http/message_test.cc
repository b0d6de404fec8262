#include "http/message.h"

#include <gtest/gtest.h>

#include "http/server.h"
#include "http/server_core.h"

namespace pn::http {
namespace {

TEST(HeadersTest, GetIgnoresNameCase) {
  Headers h;
  h.Add("Http-Remote-User", "alice");
  EXPECT_EQ(h.Get("http-remote-user"), "alice");
  EXPECT_EQ(h.Get("HTTP-REMOTE-USER"), "alice");
}

TEST(HeadersTest, GetReturnsFirstValue) {
  Headers h;
  h.Add("X", "1");
  h.Add("x", "2");
  EXPECT_EQ(h.Get("X"), "1");
}

TEST(HeadersTest, GetOfAbsentHeaderIsNullopt) {
  Headers h;
  EXPECT_FALSE(h.Get("Missing").has_value());
}

TEST(HeadersTest, SetReplacesEveryValue) {
  Headers h;
  h.Add("Allow", "GET");
  h.Add("allow", "POST");
  h.Set("Allow", "PUT");
  ASSERT_EQ(h.fields().size(), 1u);
  EXPECT_EQ(h.Get("allow"), "PUT");
}

TEST(SplitTargetTest, DecodesPathAndKeepsQueryRaw) {
  std::string path, query;
  SplitTarget("/a%20b/c?x=%41&y", &path, &query);
  EXPECT_EQ(path, "/a b/c");
  EXPECT_EQ(query, "x=%41&y");
}

TEST(SplitTargetTest, KeepsStrayPercent) {
  std::string path, query;
  SplitTarget("/100%/x%4", &path, &query);
  EXPECT_EQ(path, "/100%/x%4");
  EXPECT_EQ(query, "");
}

TEST(SplitTargetTest, AbsoluteFormLosesSchemeAndAuthority) {
  std::string path, query;
  SplitTarget("http://example.org:80/eventmatch?event_uuid=1", &path, &query);
  EXPECT_EQ(path, "/eventmatch");
  EXPECT_EQ(query, "event_uuid=1");
}

TEST(ReasonPhraseTest, UsesPythonPhrases) {
  EXPECT_EQ(ReasonPhrase(413), "Request Entity Too Large");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(422), "Unprocessable Entity");
  EXPECT_EQ(ReasonPhrase(999), "Unknown");
}

}  // namespace
}  // namespace pn::http
