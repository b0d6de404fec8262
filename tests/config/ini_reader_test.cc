#include "config/ini_reader.h"

#include <gtest/gtest.h>

namespace pn {
namespace {

TEST(IniReaderTest, ReadsSectionsKeysAndLines) {
  IniDocument doc = ParseIni("# comment\n[database]\nPeewee_URL = sqlite:///x.db\n\n"
                             "[global]\nserver.socket_port: 8070\n",
                             "f.ini");
  ASSERT_TRUE(doc.errors.empty());
  ASSERT_EQ(doc.entries.size(), 2u);
  EXPECT_EQ(doc.entries[0].section, "database");
  EXPECT_EQ(doc.entries[0].key, "peewee_url");
  EXPECT_EQ(doc.entries[0].value, "sqlite:///x.db");
  EXPECT_EQ(doc.entries[0].line, 3);
  EXPECT_EQ(doc.entries[1].key, "server.socket_port");
  EXPECT_EQ(doc.entries[1].value, "8070");
  EXPECT_EQ(doc.entries[1].line, 6);
  EXPECT_EQ(doc.sections, (std::vector<std::string>{"database", "global"}));
}

TEST(IniReaderTest, ValuesAreLiteralWithoutInterpolation) {
  IniDocument doc = ParseIni("[database]\npeewee_url = postgres://u:p%40ss@h/db\n", "f.ini");
  ASSERT_EQ(doc.entries.size(), 1u);
  EXPECT_EQ(doc.entries[0].value, "postgres://u:p%40ss@h/db");
}

TEST(IniReaderTest, IndentedLineContinuesValue) {
  IniDocument doc = ParseIni("[delivery]\nretry_schedule = 5,\n  30\n", "f.ini");
  ASSERT_EQ(doc.entries.size(), 1u);
  EXPECT_EQ(doc.entries[0].value, "5,\n30");
}

TEST(IniReaderTest, ReportsEverySyntaxErrorWithItsLine) {
  IniDocument doc = ParseIni("orphan = 1\n[a]\nno separator here\n[a]\nk=1\nk=2\n[bad\n", "f.ini");
  EXPECT_EQ(doc.errors,
            (std::vector<std::string>{
                "f.ini:1: 'orphan = 1' comes before any [section] header",
                "f.ini:3: expected 'key = value', got 'no separator here'",
                "f.ini:4: section [a] appears twice",
                "f.ini:6: key 'k' appears twice in [a]",
                "f.ini:7: malformed section header '[bad'",
            }));
}

TEST(IniReaderTest, HandlesCrLfAndMissingFinalNewline) {
  IniDocument doc = ParseIni("[a]\r\nk = v\r\nj = w", "f.ini");
  ASSERT_TRUE(doc.errors.empty());
  ASSERT_EQ(doc.entries.size(), 2u);
  EXPECT_EQ(doc.entries[0].value, "v");
  EXPECT_EQ(doc.entries[1].value, "w");
  EXPECT_EQ(doc.entries[1].line, 3);
}

}  // namespace
}  // namespace pn
