#include "config/database_url.h"

#include <gtest/gtest.h>

namespace pn {
namespace {

TEST(DatabaseUrlTest, SqliteRelativeAbsoluteAndMemory) {
  auto rel = ParseDatabaseUrl("sqliteext:///pacifica-notifications.db");
  ASSERT_TRUE(rel.ok()) << rel.status().ToString();
  EXPECT_EQ(rel->kind, DatabaseUrl::Kind::kSqlite);
  EXPECT_EQ(rel->path, "pacifica-notifications.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:////var/lib/n.db")->path, "/var/lib/n.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///:memory:")->path, ":memory:");
}

TEST(DatabaseUrlTest, PostgresPartsArePercentDecoded) {
  auto url = ParseDatabaseUrl("postgresql://notif%40x:p%40ss%3Aw@db.example:5433/pn%20db"
                              "?sslmode=require&connect_timeout=5");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->kind, DatabaseUrl::Kind::kPostgres);
  EXPECT_EQ(url->user, "notif@x");
  EXPECT_EQ(url->password, "p@ss:w");
  EXPECT_EQ(url->host, "db.example");
  EXPECT_EQ(url->port, 5433);
  EXPECT_EQ(url->dbname, "pn db");
  ASSERT_EQ(url->params.size(), 2u);
  EXPECT_EQ(url->params[0], (std::pair<std::string, std::string>{"sslmode", "require"}));
  EXPECT_EQ(url->params[1], (std::pair<std::string, std::string>{"connect_timeout", "5"}));
}

TEST(DatabaseUrlTest, PostgresWithoutPortOrPassword) {
  auto url = ParseDatabaseUrl("postgres://postgres:@localhost/pacifica_metadata");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->user, "postgres");
  EXPECT_EQ(url->password, "");
  EXPECT_EQ(url->host, "localhost");
  EXPECT_EQ(url->port, std::nullopt);
}

TEST(DatabaseUrlTest, RedactedHidesThePassword) {
  EXPECT_EQ(ParseDatabaseUrl("postgres://u:secret@h:5432/db")->Redacted(),
            "postgres://u:****@h:5432/db");
}

TEST(DatabaseUrlTest, UnsupportedSchemeIsNamed) {
  EXPECT_EQ(ParseDatabaseUrl("mysql://u:p@h/db").status(),
            InvalidArgumentError("database URL 'mysql://u:****@h/db': unsupported scheme 'mysql' "
                                 "(expected sqlite, sqliteext, postgres or postgresql)"));
}

TEST(DatabaseUrlTest, BadPortIsRejected) {
  EXPECT_EQ(ParseDatabaseUrl("postgres://u@h:99999/db").status(),
            InvalidArgumentError("database URL 'postgres://u@h:99999/db': port '99999' is not a "
                                 "number between 1 and 65535"));
}

TEST(DatabaseUrlTest, MalformedPercentEscapeIsRejected) {
  EXPECT_EQ(ParseDatabaseUrl("postgres://u:p%4@h/db").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(DatabaseUrlTest, MissingSchemeIsRejected) {
  EXPECT_EQ(ParseDatabaseUrl("pacifica.db").status(),
            InvalidArgumentError("database URL 'pacifica.db' has no scheme (expected "
                                 "sqlite:///path.db or postgres://user:pass@host/dbname)"));
}

}  // namespace
}  // namespace pn
