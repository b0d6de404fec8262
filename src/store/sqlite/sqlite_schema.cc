#include "store/sqlite/sqlite_schema.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pn::sqlite {
namespace {

// eventmatch of schema 2.0/3.0 exactly as peewee 3.14 creates it on SQLite.
constexpr const char* kEventMatchTable = R"sql(
CREATE TABLE IF NOT EXISTS "eventmatch" ("uuid" TEXT NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "jsonpath" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "disabled" DATETIME, "error" TEXT, "target_url" TEXT NOT NULL, "version" VARCHAR(255) NOT NULL, "extensions" TEXT NOT NULL, "auth" TEXT, "created" DATETIME NOT NULL, "updated" DATETIME NOT NULL, "deleted" DATETIME);
)sql";

constexpr const char* kEventMatchIndexes = R"sql(
CREATE INDEX IF NOT EXISTS "eventmatch_name" ON "eventmatch" ("name");
CREATE INDEX IF NOT EXISTS "eventmatch_user" ON "eventmatch" ("user");
CREATE INDEX IF NOT EXISTS "eventmatch_disabled" ON "eventmatch" ("disabled");
CREATE INDEX IF NOT EXISTS "eventmatch_created" ON "eventmatch" ("created");
CREATE INDEX IF NOT EXISTS "eventmatch_updated" ON "eventmatch" ("updated");
CREATE INDEX IF NOT EXISTS "eventmatch_deleted" ON "eventmatch" ("deleted");
)sql";

constexpr const char* kEventLogTables = R"sql(
CREATE TABLE IF NOT EXISTS "eventlog" ("uuid" TEXT NOT NULL PRIMARY KEY, "jsondata" TEXT NOT NULL, "created" DATETIME NOT NULL);
CREATE INDEX IF NOT EXISTS "eventlog_created" ON "eventlog" ("created");
CREATE TABLE IF NOT EXISTS "eventlogmatch" ("uuid" TEXT NOT NULL PRIMARY KEY, "event_log_id" TEXT NOT NULL, "event_match_id" TEXT NOT NULL, "policy_status_code" TEXT NOT NULL, "policy_resp_body" TEXT NOT NULL, "target_status_code" TEXT NOT NULL, "target_resp_body" TEXT NOT NULL, "created" DATETIME NOT NULL, FOREIGN KEY ("event_log_id") REFERENCES "eventlog" ("uuid"), FOREIGN KEY ("event_match_id") REFERENCES "eventmatch" ("uuid"));
CREATE INDEX IF NOT EXISTS "eventlogmatch_event_log_id" ON "eventlogmatch" ("event_log_id");
CREATE INDEX IF NOT EXISTS "eventlogmatch_event_match_id" ON "eventlogmatch" ("event_match_id");
CREATE INDEX IF NOT EXISTS "eventlogmatch_created" ON "eventlogmatch" ("created");
)sql";

// 3.0 -> 4.0. Rows already in eventlogmatch were delivered (or not) by the original, once:
// their state follows the target status, and they are never attempted again.
constexpr const char* kMigrate30To40 = R"sql(
ALTER TABLE "eventlogmatch" ADD COLUMN "state" VARCHAR(16) NOT NULL DEFAULT 'pending';
ALTER TABLE "eventlogmatch" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "eventlogmatch" ADD COLUMN "next_attempt_at" DATETIME;
ALTER TABLE "eventlogmatch" ADD COLUMN "lease_owner" VARCHAR(255);
ALTER TABLE "eventlogmatch" ADD COLUMN "lease_expires" DATETIME;
ALTER TABLE "eventlogmatch" ADD COLUMN "updated" DATETIME;
UPDATE "eventlogmatch" SET
  "state" = CASE WHEN "target_status_code" GLOB '2[0-9][0-9]' THEN 'delivered' ELSE 'failed' END,
  "attempts" = CASE WHEN "policy_status_code" <> '' OR "target_status_code" <> '' THEN 1 ELSE 0 END,
  "next_attempt_at" = "created",
  "updated" = "created";
CREATE INDEX IF NOT EXISTS "eventlogmatch_pending_due" ON "eventlogmatch" ("next_attempt_at") WHERE "state" = 'pending';
CREATE TABLE IF NOT EXISTS "deliveryattempt" ("delivery_id" TEXT NOT NULL, "number" INTEGER NOT NULL, "started" DATETIME NOT NULL, "duration_us" INTEGER NOT NULL, "policy_status" INTEGER, "policy_body" TEXT NOT NULL, "target_status" INTEGER, "target_body" TEXT NOT NULL, "error" TEXT NOT NULL, PRIMARY KEY ("delivery_id", "number"), FOREIGN KEY ("delivery_id") REFERENCES "eventlogmatch" ("uuid"));
CREATE TABLE IF NOT EXISTS "eventmatchchange" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1), "counter" INTEGER NOT NULL);
INSERT OR IGNORE INTO "eventmatchchange" ("id", "counter") VALUES (1, 0);
CREATE TRIGGER IF NOT EXISTS "eventmatch_changed_insert" AFTER INSERT ON "eventmatch"
  BEGIN UPDATE "eventmatchchange" SET "counter" = "counter" + 1 WHERE "id" = 1; END;
CREATE TRIGGER IF NOT EXISTS "eventmatch_changed_update" AFTER UPDATE ON "eventmatch"
  BEGIN UPDATE "eventmatchchange" SET "counter" = "counter" + 1 WHERE "id" = 1; END;
CREATE TRIGGER IF NOT EXISTS "eventmatch_changed_delete" AFTER DELETE ON "eventmatch"
  BEGIN UPDATE "eventmatchchange" SET "counter" = "counter" + 1 WHERE "id" = 1; END;
)sql";

constexpr const char* kAllTables[] = {"notificationsystem", "eventmatch",      "eventlog",
                                      "eventlogmatch",      "deliveryattempt", "eventmatchchange"};

Result<bool> TableExists(SqliteConnection& conn, const char* table) {
  PN_ASSIGN_OR_RETURN(Statement st,
                      conn.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
  st.Bind(1, std::string_view(table));
  return st.Step();
}

Result<bool> ColumnExists(SqliteConnection& conn, const char* table, const char* column) {
  PN_ASSIGN_OR_RETURN(Statement st,
                      conn.Prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?"));
  st.Bind(1, std::string_view(table)).Bind(2, std::string_view(column));
  return st.Step();
}

std::string Name(SchemaVersion v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

// 0.0 -> 1.0: the original creates eventmatch when missing; we create it directly in its final
// column order (a 1.0 layout only ever lacked `auth`, which the next step adds when missing).
Status Migrate00To10(SqliteConnection& conn) {
  PN_RETURN_IF_ERROR(conn.Exec(kEventMatchTable));
  return conn.Exec(kEventMatchIndexes);
}

// 1.0 -> 2.0: `auth` without a default, as the original did; existing rows keep NULL (read {}).
Status Migrate10To20(SqliteConnection& conn) {
  PN_ASSIGN_OR_RETURN(bool has_auth, ColumnExists(conn, "eventmatch", "auth"));
  if (has_auth) return OkStatus();
  return conn.Exec(R"sql(ALTER TABLE "eventmatch" ADD COLUMN "auth" TEXT)sql");
}

Status Migrate20To30(SqliteConnection& conn) { return conn.Exec(kEventLogTables); }

Status Migrate30To40(SqliteConnection& conn) { return conn.Exec(kMigrate30To40); }

Status WriteVersion(SqliteConnection& conn, SchemaVersion v) {
  PN_RETURN_IF_ERROR(conn.Exec(R"sql(
DROP TABLE IF EXISTS "notificationsystem";
CREATE TABLE "notificationsystem" ("part" VARCHAR(255) NOT NULL PRIMARY KEY, "value" INTEGER NOT NULL);
)sql"));
  return conn.Exec("INSERT INTO \"notificationsystem\" (\"part\", \"value\") VALUES ('major', " +
                   std::to_string(v.major) + "), ('minor', " + std::to_string(v.minor) + ")");
}

}  // namespace

Result<SchemaVersion> ReadSchemaVersion(SqliteConnection& conn) {
  PN_ASSIGN_OR_RETURN(bool exists, TableExists(conn, "notificationsystem"));
  if (!exists) return SchemaVersion{0, 0};
  PN_ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT \"part\", \"value\" FROM "
                                                 "\"notificationsystem\""));
  std::optional<int> major, minor;
  while (true) {
    PN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const std::string part = st.Text(0);
    if (part == "major") major = static_cast<int>(st.Int(1));
    if (part == "minor") minor = static_cast<int>(st.Int(1));
  }
  for (auto [name, value] : {std::pair{"major", major}, std::pair{"minor", minor}}) {
    if (!value) {
      return FailedPreconditionError(std::string("the notificationsystem table has no '") + name +
                                     "' row, so the schema version is unknown");
    }
  }
  SchemaVersion v{*major, *minor};
  return v;
}

Result<bool> SchemaIsEmpty(SqliteConnection& conn) {
  for (const char* table : kAllTables) {
    PN_ASSIGN_OR_RETURN(bool exists, TableExists(conn, table));
    if (exists) return false;
  }
  return true;
}

Status SyncSchema(SqliteConnection& conn) {
  PN_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(conn));
  PN_ASSIGN_OR_RETURN(SchemaVersion v, ReadSchemaVersion(conn));
  if (v == kCurrentSchema) return OkStatus();
  using Step = Status (*)(SqliteConnection&);
  const std::vector<std::pair<SchemaVersion, Step>> steps = {
      {{0, 0}, Migrate00To10}, {{1, 0}, Migrate10To20}, {{2, 0}, Migrate20To30},
      {{3, 0}, Migrate30To40}};
  size_t first = steps.size();
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].first == v) first = i;
  }
  if (first == steps.size()) {
    return FailedPreconditionError("the database has schema version " + Name(v) +
                                   ", which this program does not know (it knows 0.0, 1.0, "
                                   "2.0, 3.0 and " + Name(kCurrentSchema) +
                                   "); refusing to migrate it");
  }
  for (size_t i = first; i < steps.size(); ++i) {
    Status s = steps[i].second(conn);
    if (!s.ok()) return s.WithContext("migrating the schema from " + Name(steps[i].first));
  }
  PN_RETURN_IF_ERROR(WriteVersion(conn, kCurrentSchema));
  return tx.Commit();
}

}  // namespace pn::sqlite
