// Schema management on PostgreSQL: reading the version the original's way, and the forward
// migrations 0.0 -> 1.0 -> 2.0 -> 3.0 -> 4.0 in one transaction.
// Layouts 0.0-3.0 are those the Python original (peewee 3.14) leaves on PostgreSQL (native
// UUID, TIMESTAMP, VARCHAR(255), quoted "user"; reference/upstream-behavior.md §5.1); 4.0 adds
// the same delivery state, attempt history and subscription change counter as the SQLite
// backend (store/sqlite/sqlite_schema.cc), plus a "seq" column per table standing in for
// SQLite's rowid (insertion order), and a trigger that announces subscription changes with
// NOTIFY on kChangeChannel.
// Thread-safety: functions operate on the connection given; the caller serializes.
#pragma once

#include "store/postgres/pg_connection.h"
#include "store/store.h"

namespace pn::pg {

// The LISTEN/NOTIFY channel; the payload is the new change counter.
inline constexpr const char* kChangeChannel = "pn_eventmatch_changed";

// (0,0) when `notificationsystem` is missing; FailedPrecondition when a part row is missing.
Result<SchemaVersion> ReadSchemaVersion(PgConnection& conn);
// True when none of the original's or our tables exist.
Result<bool> SchemaIsEmpty(PgConnection& conn);
// Migrates to kCurrentSchema; no-op when current. Runs inside the caller's transaction and
// takes a transaction-scoped advisory lock first, so processes starting together on one
// database migrate it once. FailedPrecondition naming the version when we do not know it.
Status SyncSchema(PgConnection& conn);

}  // namespace pn::pg
