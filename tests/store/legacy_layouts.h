// Databases exactly as the Python original (peewee 3.14 on SQLite) leaves them at schema 0.0,
// 1.0, 2.0 and 3.0 (reference/upstream-behavior.md §5.1, §5.2), with rows in its layout:
// uuids as 32 hex digits without dashes, times 'YYYY-MM-DD HH:MM:SS[.ffffff]', NULL auth on
// rows older than 2.0. Shared by the store and the command-line upgrade tests.
#pragma once

#include <string>

namespace pn::testing::legacy {

// Column set of eventmatch before 2.0 (no auth).
inline const std::string kEventMatch10 =
    R"sql(CREATE TABLE "eventmatch" ("uuid" TEXT NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "jsonpath" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "disabled" DATETIME, "error" TEXT, "target_url" TEXT NOT NULL, "version" VARCHAR(255) NOT NULL, "extensions" TEXT NOT NULL, "created" DATETIME NOT NULL, "updated" DATETIME NOT NULL, "deleted" DATETIME);
)sql";

inline const std::string kEventMatch30 =
    R"sql(CREATE TABLE "eventmatch" ("uuid" TEXT NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL, "jsonpath" TEXT NOT NULL, "user" VARCHAR(255) NOT NULL, "disabled" DATETIME, "error" TEXT, "target_url" TEXT NOT NULL, "version" VARCHAR(255) NOT NULL, "extensions" TEXT NOT NULL, "auth" TEXT, "created" DATETIME NOT NULL, "updated" DATETIME NOT NULL, "deleted" DATETIME);
)sql";

inline const std::string kEventMatchIndexes = R"sql(
CREATE INDEX "eventmatch_name" ON "eventmatch" ("name");
CREATE INDEX "eventmatch_user" ON "eventmatch" ("user");
CREATE INDEX "eventmatch_disabled" ON "eventmatch" ("disabled");
CREATE INDEX "eventmatch_created" ON "eventmatch" ("created");
CREATE INDEX "eventmatch_updated" ON "eventmatch" ("updated");
CREATE INDEX "eventmatch_deleted" ON "eventmatch" ("deleted");
)sql";

inline const std::string kEventLogTables = R"sql(
CREATE TABLE "eventlog" ("uuid" TEXT NOT NULL PRIMARY KEY, "jsondata" TEXT NOT NULL, "created" DATETIME NOT NULL);
CREATE INDEX "eventlog_created" ON "eventlog" ("created");
CREATE TABLE "eventlogmatch" ("uuid" TEXT NOT NULL PRIMARY KEY, "event_log_id" TEXT NOT NULL, "event_match_id" TEXT NOT NULL, "policy_status_code" TEXT NOT NULL, "policy_resp_body" TEXT NOT NULL, "target_status_code" TEXT NOT NULL, "target_resp_body" TEXT NOT NULL, "created" DATETIME NOT NULL, FOREIGN KEY ("event_log_id") REFERENCES "eventlog" ("uuid"), FOREIGN KEY ("event_match_id") REFERENCES "eventmatch" ("uuid"));
CREATE INDEX "eventlogmatch_event_log_id" ON "eventlogmatch" ("event_log_id");
CREATE INDEX "eventlogmatch_event_match_id" ON "eventlogmatch" ("event_match_id");
CREATE INDEX "eventlogmatch_created" ON "eventlogmatch" ("created");
)sql";

inline std::string VersionTable(int major, int minor) {
  return R"sql(CREATE TABLE "notificationsystem" ("part" VARCHAR(255) NOT NULL PRIMARY KEY, "value" INTEGER NOT NULL);
INSERT INTO "notificationsystem" ("part", "value") VALUES ('major', )sql" +
         std::to_string(major) + "), ('minor', " + std::to_string(minor) + ");\n";
}

// Subscriptions as the original wrote them.
inline constexpr const char* kJohnSub = "7d9b4c3a1e2f4a5b8c6d0e1f2a3b4c5d";   // active
inline constexpr const char* kJaneSub = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";   // disabled
inline constexpr const char* kGoneSub = "f0e1d2c3b4a5469788796a5b4c3d2e1f";   // deleted

// Rows of eventmatch without auth (0.0, 1.0).
inline const std::string kSubscriptionRows10 = R"sql(
INSERT INTO "eventmatch" VALUES ('7d9b4c3a1e2f4a5b8c6d0e1f2a3b4c5d', 'john''s', '$["data"]', 'johndoe', NULL, NULL, 'http://127.0.0.1:8080/receive', 'v0.1', '{}', '2020-04-01 10:00:00.123456', '2020-04-01 10:00:00.123456', NULL);
INSERT INTO "eventmatch" VALUES ('0a1b2c3d4e5f40718293a4b5c6d7e8f9', 'jane''s', '$.data', 'janedoe', '2020-04-02 11:00:00', 'Policy service returned 500', 'http://127.0.0.1:8081/', 'v0.1', '{"a": "b"}', '2020-04-01 10:00:01', '2020-04-01 10:00:01', NULL);
INSERT INTO "eventmatch" VALUES ('f0e1d2c3b4a5469788796a5b4c3d2e1f', 'gone', '$', 'johndoe', NULL, NULL, 'http://127.0.0.1:8082/', 'v0.1', '{}', '2020-04-01 10:00:02.5', '2020-04-01 10:00:02.5', '2020-04-03 09:00:00.000001');
)sql";

// Rows of a 2.0/3.0 eventmatch: two carry auth, one kept NULL from before 2.0.
inline const std::string kSubscriptionRows30 = R"sql(
INSERT INTO "eventmatch" VALUES ('7d9b4c3a1e2f4a5b8c6d0e1f2a3b4c5d', 'john''s', '$["data"]', 'johndoe', NULL, NULL, 'http://127.0.0.1:8080/receive', 'v0.1', '{}', '{"type": "basic", "basic": {"username": "u", "password": "p"}}', '2020-04-01 10:00:00.123456', '2020-04-01 10:00:00.123456', NULL);
INSERT INTO "eventmatch" VALUES ('0a1b2c3d4e5f40718293a4b5c6d7e8f9', 'jane''s', '$.data', 'janedoe', '2020-04-02 11:00:00', 'Policy service returned 500', 'http://127.0.0.1:8081/', 'v0.1', '{"a": "b"}', NULL, '2020-04-01 10:00:01', '2020-04-01 10:00:01', NULL);
INSERT INTO "eventmatch" VALUES ('f0e1d2c3b4a5469788796a5b4c3d2e1f', 'gone', '$', 'johndoe', NULL, NULL, 'http://127.0.0.1:8082/', 'v0.1', '{}', '{}', '2020-04-01 10:00:02.5', '2020-04-01 10:00:02.5', '2020-04-03 09:00:00.000001');
)sql";

inline constexpr const char* kEvent = "75be14fa32b94816a9bbf0a19e09d36c";
inline constexpr const char* kElmDelivered = "fde19ad9f90f4d2ea1beb14223fae88c";
inline constexpr const char* kElmFailed = "11111111222243338444555566667777";
inline constexpr const char* kElmNeverTried = "aaaaaaaabbbb4cccbdddeeeeeeeeeeee";

inline const std::string kEventRows30 = R"sql(
INSERT INTO "eventlog" VALUES ('75be14fa32b94816a9bbf0a19e09d36c', '{"k": 2}', '2020-04-05 05:51:30.964940');
INSERT INTO "eventlogmatch" VALUES ('fde19ad9f90f4d2ea1beb14223fae88c', '75be14fa32b94816a9bbf0a19e09d36c', '7d9b4c3a1e2f4a5b8c6d0e1f2a3b4c5d', '200', '{"status": "ok"}', '200', 'thanks', '2020-04-05 05:51:30.970000');
INSERT INTO "eventlogmatch" VALUES ('11111111222243338444555566667777', '75be14fa32b94816a9bbf0a19e09d36c', '0a1b2c3d4e5f40718293a4b5c6d7e8f9', '500', 'oops', '', '', '2020-04-05 05:51:31');
INSERT INTO "eventlogmatch" VALUES ('aaaaaaaabbbb4cccbdddeeeeeeeeeeee', '75be14fa32b94816a9bbf0a19e09d36c', 'f0e1d2c3b4a5469788796a5b4c3d2e1f', '', '', '', '', '2020-04-05 05:51:31.5');
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

}  // namespace pn::testing::legacy
