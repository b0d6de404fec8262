#include "store/postgres/pg_schema.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pn::pg {
namespace {

// eventmatch of schema 2.0/3.0 exactly as peewee 3.14 creates it on PostgreSQL.
constexpr const char* kEventMatchTable = R"sql(
CREATE TABLE IF NOT EXISTS "eventmatch" ("uuid" UUID NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "jsonpath" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "disabled" TIMESTAMP, "error" TEXT, "target_url" TEXT NOT NULL, "version" VARCHAR(255) NOT NULL, "extensions" TEXT NOT NULL, "auth" TEXT, "created" TIMESTAMP NOT NULL, "updated" TIMESTAMP NOT NULL, "deleted" TIMESTAMP);
CREATE INDEX IF NOT EXISTS "eventmatch_name" ON "eventmatch" ("name");
CREATE INDEX IF NOT EXISTS "eventmatch_user" ON "eventmatch" ("user");
CREATE INDEX IF NOT EXISTS "eventmatch_disabled" ON "eventmatch" ("disabled");
CREATE INDEX IF NOT EXISTS "eventmatch_created" ON "eventmatch" ("created");
CREATE INDEX IF NOT EXISTS "eventmatch_updated" ON "eventmatch" ("updated");
CREATE INDEX IF NOT EXISTS "eventmatch_deleted" ON "eventmatch" ("deleted");
)sql";

constexpr const char* kEventLogTables = R"sql(
CREATE TABLE IF NOT EXISTS "eventlog" ("uuid" UUID NOT NULL PRIMARY KEY, "jsondata" TEXT NOT NULL, "created" TIMESTAMP NOT NULL);
CREATE INDEX IF NOT EXISTS "eventlog_created" ON "eventlog" ("created");
CREATE TABLE IF NOT EXISTS "eventlogmatch" ("uuid" UUID NOT NULL PRIMARY KEY, "event_log_id" UUID NOT NULL, "event_match_id" UUID NOT NULL, "policy_status_code" TEXT NOT NULL, "policy_resp_body" TEXT NOT NULL, "target_status_code" TEXT NOT NULL, "target_resp_body" TEXT NOT NULL, "created" TIMESTAMP NOT NULL, FOREIGN KEY ("event_log_id") REFERENCES "eventlog" ("uuid"), FOREIGN KEY ("event_match_id") REFERENCES "eventmatch" ("uuid"));
CREATE INDEX IF NOT EXISTS "eventlogmatch_event_log_id" ON "eventlogmatch" ("event_log_id");
CREATE INDEX IF NOT EXISTS "eventlogmatch_event_match_id" ON "eventlogmatch" ("event_match_id");
CREATE INDEX IF NOT EXISTS "eventlogmatch_created" ON "eventlogmatch" ("created");
)sql";

// 3.0 -> 4.0, the same columns and tables as on SQLite. Rows already in eventlogmatch were
// delivered (or not) by the original, once: their state follows the target status, and they
// are never attempted again. "seq" keeps insertion order (SQLite's rowid): adding it numbers
// existing rows in their stored order.
constexpr const char* kMigrate30To40 = R"sql(
ALTER TABLE "eventmatch" ADD COLUMN "seq" BIGSERIAL;
ALTER TABLE "eventlog" ADD COLUMN "seq" BIGSERIAL;
ALTER TABLE "eventlogmatch" ADD COLUMN "seq" BIGSERIAL;
ALTER TABLE "eventlogmatch" ADD COLUMN "state" VARCHAR(16) NOT NULL DEFAULT 'pending';
ALTER TABLE "eventlogmatch" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "eventlogmatch" ADD COLUMN "next_attempt_at" TIMESTAMP;
ALTER TABLE "eventlogmatch" ADD COLUMN "lease_owner" VARCHAR(255);
ALTER TABLE "eventlogmatch" ADD COLUMN "lease_expires" TIMESTAMP;
ALTER TABLE "eventlogmatch" ADD COLUMN "updated" TIMESTAMP;
UPDATE "eventlogmatch" SET
  "state" = CASE WHEN "target_status_code" ~ '^2[0-9][0-9]$' THEN 'delivered' ELSE 'failed' END,
  "attempts" = CASE WHEN "policy_status_code" <> '' OR "target_status_code" <> '' THEN 1 ELSE 0 END,
  "next_attempt_at" = "created",
  "updated" = "created";
CREATE INDEX IF NOT EXISTS "eventlogmatch_pending_due" ON "eventlogmatch" ("next_attempt_at", "seq") WHERE "state" = 'pending';
CREATE TABLE IF NOT EXISTS "deliveryattempt" ("delivery_id" UUID NOT NULL, "number" INTEGER NOT NULL, "started" TIMESTAMP NOT NULL, "duration_us" BIGINT NOT NULL, "policy_status" INTEGER, "policy_body" TEXT NOT NULL, "target_status" INTEGER, "target_body" TEXT NOT NULL, "error" TEXT NOT NULL, PRIMARY KEY ("delivery_id", "number"), FOREIGN KEY ("delivery_id") REFERENCES "eventlogmatch" ("uuid"));
CREATE TABLE IF NOT EXISTS "eventmatchchange" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1), "counter" BIGINT NOT NULL);
INSERT INTO "eventmatchchange" ("id", "counter") VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION "pn_eventmatch_changed"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  new_counter BIGINT;
BEGIN
  UPDATE "eventmatchchange" SET "counter" = "counter" + 1 WHERE "id" = 1
    RETURNING "counter" INTO new_counter;
  PERFORM pg_notify('pn_eventmatch_changed', new_counter::text);
  RETURN NULL;
END
$fn$;
DROP TRIGGER IF EXISTS "eventmatch_changed" ON "eventmatch";
CREATE TRIGGER "eventmatch_changed" AFTER INSERT OR UPDATE OR DELETE ON "eventmatch"
  FOR EACH ROW EXECUTE FUNCTION "pn_eventmatch_changed"();
)sql";

constexpr const char* kAllTables[] = {"notificationsystem", "eventmatch",      "eventlog",
                                      "eventlogmatch",      "deliveryattempt", "eventmatchchange"};

// An arbitrary constant naming our migration lock among the database's advisory locks.
constexpr const char* kMigrationLockKey = "7243061511";

// Reads pg_class with the statement's snapshot rather than through to_regclass: to_regclass
// answers from the backend's catalog cache, which does not hear of tables another session
// committed while this transaction waited for the migration lock (several servers starting at
// once on an empty database then each found no tables and migrated again).
Result<bool> TableExists(PgConnection& conn, const char* table) {
  PN_ASSIGN_OR_RETURN(
      PgResult res,
      conn.Query("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                 "ON n.oid = c.relnamespace WHERE c.relname = $1 AND "
                 "n.nspname = ANY (pg_catalog.current_schemas(false)))",
                 {std::string(table)}));
  return res.Text(0, 0) == "t";
}

std::string Name(SchemaVersion v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

// 0.0 -> 1.0: the original creates eventmatch when missing; we create it directly in its final
// column order (a 1.0 layout only ever lacked `auth`, which the next step adds when missing).
Status Migrate00To10(PgConnection& conn) { return conn.Exec(kEventMatchTable); }

// 1.0 -> 2.0: `auth` without a default, as the original did; existing rows keep NULL (read {}).
Status Migrate10To20(PgConnection& conn) {
  return conn.Exec(R"sql(ALTER TABLE "eventmatch" ADD COLUMN IF NOT EXISTS "auth" TEXT)sql");
}

Status Migrate20To30(PgConnection& conn) { return conn.Exec(kEventLogTables); }

Status Migrate30To40(PgConnection& conn) { return conn.Exec(kMigrate30To40); }

Status WriteVersion(PgConnection& conn, SchemaVersion v) {
  return conn.Exec(R"sql(
DROP TABLE IF EXISTS "notificationsystem";
CREATE TABLE "notificationsystem" ("part" VARCHAR(255) NOT NULL PRIMARY KEY, "value" INTEGER NOT NULL);
INSERT INTO "notificationsystem" ("part", "value") VALUES ('major', )sql" +
                   std::to_string(v.major) + "), ('minor', " + std::to_string(v.minor) + ")");
}

}  // namespace

Result<SchemaVersion> ReadSchemaVersion(PgConnection& conn) {
  PN_ASSIGN_OR_RETURN(bool exists, TableExists(conn, "notificationsystem"));
  if (!exists) return SchemaVersion{0, 0};
  PN_ASSIGN_OR_RETURN(PgResult res,
                      conn.Query("SELECT \"part\", \"value\" FROM \"notificationsystem\""));
  std::optional<int> major, minor;
  for (int r = 0; r < res.rows(); ++r) {
    const std::string part = res.Text(r, 0);
    if (part == "major") major = static_cast<int>(res.Int(r, 1));
    if (part == "minor") minor = static_cast<int>(res.Int(r, 1));
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

Result<bool> SchemaIsEmpty(PgConnection& conn) {
  for (const char* table : kAllTables) {
    PN_ASSIGN_OR_RETURN(bool exists, TableExists(conn, table));
    if (exists) return false;
  }
  return true;
}

Status SyncSchema(PgConnection& conn) {
  PN_RETURN_IF_ERROR(conn.Exec(std::string("SELECT pg_advisory_xact_lock(") + kMigrationLockKey +
                               ")"));
  PN_ASSIGN_OR_RETURN(SchemaVersion v, ReadSchemaVersion(conn));
  if (v == kCurrentSchema) return OkStatus();
  using Step = Status (*)(PgConnection&);
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
  return WriteVersion(conn, kCurrentSchema);
}

}  // namespace pn::pg
