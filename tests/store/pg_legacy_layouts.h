// Databases exactly as the Python original (peewee 3.14 on PostgreSQL) leaves them at schema
// 0.0, 1.0, 2.0 and 3.0 (reference/upstream-behavior.md §5.1, §5.2): native UUID, TIMESTAMP,
// VARCHAR(255), quoted "user", the same index names, with rows. Shared by the store and the
// command-line PostgreSQL tests.
#pragma once

#include <string>

namespace pn::testing::pg_legacy {

// eventmatch as peewee creates it on PostgreSQL, before 2.0 (no auth) and from 2.0 on.
inline const std::string kEventMatch10 =
    R"sql(CREATE TABLE IF NOT EXISTS "eventmatch" ("uuid" UUID NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "jsonpath" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "disabled" TIMESTAMP, "error" TEXT, "target_url" TEXT NOT NULL, "version" VARCHAR(255) NOT NULL, "extensions" TEXT NOT NULL, "created" TIMESTAMP NOT NULL, "updated" TIMESTAMP NOT NULL, "deleted" TIMESTAMP);
)sql";
inline const std::string kEventMatch30 =
    R"sql(CREATE TABLE IF NOT EXISTS "eventmatch" ("uuid" UUID NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "jsonpath" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "disabled" TIMESTAMP, "error" TEXT, "target_url" TEXT NOT NULL, "version" VARCHAR(255) NOT NULL, "extensions" TEXT NOT NULL, "auth" TEXT, "created" TIMESTAMP NOT NULL, "updated" TIMESTAMP NOT NULL, "deleted" TIMESTAMP);
)sql";
inline const std::string kEventMatchIndexes = R"sql(
CREATE INDEX IF NOT EXISTS "eventmatch_name" ON "eventmatch" ("name");
CREATE INDEX IF NOT EXISTS "eventmatch_user" ON "eventmatch" ("user");
CREATE INDEX IF NOT EXISTS "eventmatch_disabled" ON "eventmatch" ("disabled");
CREATE INDEX IF NOT EXISTS "eventmatch_created" ON "eventmatch" ("created");
CREATE INDEX IF NOT EXISTS "eventmatch_updated" ON "eventmatch" ("updated");
CREATE INDEX IF NOT EXISTS "eventmatch_deleted" ON "eventmatch" ("deleted");
)sql";
inline const std::string kEventLogTables = R"sql(
CREATE TABLE IF NOT EXISTS "eventlog" ("uuid" UUID NOT NULL PRIMARY KEY, "jsondata" TEXT NOT NULL, "created" TIMESTAMP NOT NULL);
CREATE INDEX IF NOT EXISTS "eventlog_created" ON "eventlog" ("created");
CREATE TABLE IF NOT EXISTS "eventlogmatch" ("uuid" UUID NOT NULL PRIMARY KEY, "event_log_id" UUID NOT NULL, "event_match_id" UUID NOT NULL, "policy_status_code" TEXT NOT NULL, "policy_resp_body" TEXT NOT NULL, "target_status_code" TEXT NOT NULL, "target_resp_body" TEXT NOT NULL, "created" TIMESTAMP NOT NULL, FOREIGN KEY ("event_log_id") REFERENCES "eventlog" ("uuid"), FOREIGN KEY ("event_match_id") REFERENCES "eventmatch" ("uuid"));
CREATE INDEX IF NOT EXISTS "eventlogmatch_event_log_id" ON "eventlogmatch" ("event_log_id");
CREATE INDEX IF NOT EXISTS "eventlogmatch_event_match_id" ON "eventlogmatch" ("event_match_id");
CREATE INDEX IF NOT EXISTS "eventlogmatch_created" ON "eventlogmatch" ("created");
)sql";

inline std::string VersionTable(int major, int minor) {
  return R"sql(CREATE TABLE IF NOT EXISTS "notificationsystem" ("part" VARCHAR(255) NOT NULL PRIMARY KEY, "value" INTEGER NOT NULL);
INSERT INTO "notificationsystem" ("part", "value") VALUES ('major', )sql" +
         std::to_string(major) + "), ('minor', " + std::to_string(minor) + ");\n";
}

inline constexpr const char* kJohn = "7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d";  // active
inline constexpr const char* kJane = "0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9";  // disabled
inline constexpr const char* kGone = "f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f";  // deleted
inline constexpr const char* kEvent = "75be14fa-32b9-4816-a9bb-f0a19e09d36c";

// Rows as peewee wrote them (it sends uuids as text; PostgreSQL stores them natively).
inline const std::string kSubscriptionRows10 = R"sql(
INSERT INTO "eventmatch" VALUES ('7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d', 'john''s', '$["data"]', 'johndoe', NULL, NULL, 'http://127.0.0.1:8080/receive', 'v0.1', '{}', '2020-04-01 10:00:00.123456', '2020-04-01 10:00:00.123456', NULL);
INSERT INTO "eventmatch" VALUES ('0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9', 'jane''s', '$.data', 'janedoe', '2020-04-02 11:00:00', 'Policy service returned 500', 'http://127.0.0.1:8081/', 'v0.1', '{"a": "b"}', '2020-04-01 10:00:01', '2020-04-01 10:00:01', NULL);
INSERT INTO "eventmatch" VALUES ('f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f', 'gone', '$', 'johndoe', NULL, NULL, 'http://127.0.0.1:8082/', 'v0.1', '{}', '2020-04-01 10:00:02.5', '2020-04-01 10:00:02.5', '2020-04-03 09:00:00.000001');
)sql";
inline const std::string kSubscriptionRows30 = R"sql(
INSERT INTO "eventmatch" VALUES ('7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d', 'john''s', '$["data"]', 'johndoe', NULL, NULL, 'http://127.0.0.1:8080/receive', 'v0.1', '{}', '{"type": "basic", "basic": {"username": "u", "password": "p"}}', '2020-04-01 10:00:00.123456', '2020-04-01 10:00:00.123456', NULL);
INSERT INTO "eventmatch" VALUES ('0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9', 'jane''s', '$.data', 'janedoe', '2020-04-02 11:00:00', 'Policy service returned 500', 'http://127.0.0.1:8081/', 'v0.1', '{"a": "b"}', NULL, '2020-04-01 10:00:01', '2020-04-01 10:00:01', NULL);
INSERT INTO "eventmatch" VALUES ('f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f', 'gone', '$', 'johndoe', NULL, NULL, 'http://127.0.0.1:8082/', 'v0.1', '{}', '{}', '2020-04-01 10:00:02.5', '2020-04-01 10:00:02.5', '2020-04-03 09:00:00.000001');
)sql";
inline const std::string kEventRows30 = R"sql(
INSERT INTO "eventlog" VALUES ('75be14fa-32b9-4816-a9bb-f0a19e09d36c', '{"k": 2}', '2020-04-05 05:51:30.964940');
INSERT INTO "eventlogmatch" VALUES ('fde19ad9-f90f-4d2e-a1be-b14223fae88c', '75be14fa-32b9-4816-a9bb-f0a19e09d36c', '7d9b4c3a-1e2f-4a5b-8c6d-0e1f2a3b4c5d', '200', '{"status": "ok"}', '200', 'thanks', '2020-04-05 05:51:30.970000');
INSERT INTO "eventlogmatch" VALUES ('11111111-2222-4333-8444-555566667777', '75be14fa-32b9-4816-a9bb-f0a19e09d36c', '0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9', '500', 'oops', '', '', '2020-04-05 05:51:31');
INSERT INTO "eventlogmatch" VALUES ('aaaaaaaa-bbbb-4ccc-bddd-eeeeeeeeeeee', '75be14fa-32b9-4816-a9bb-f0a19e09d36c', 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f', '', '', '', '', '2020-04-05 05:51:31.5');
)sql";

inline std::string Schema00() { return kEventMatch10 + kEventMatchIndexes + kSubscriptionRows10; }
inline std::string Schema10() { return Schema00() + VersionTable(1, 0); }
inline std::string Schema20() {
  return kEventMatch30 + kEventMatchIndexes + kSubscriptionRows30 + VersionTable(2, 0);
}
inline std::string Schema30() {
  return kEventMatch30 + kEventMatchIndexes + kSubscriptionRows30 + kEventLogTables +
         kEventRows30 + VersionTable(3, 0);
}

}  // namespace pn::testing::pg_legacy
