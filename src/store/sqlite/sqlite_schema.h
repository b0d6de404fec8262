// Schema management on SQLite: reading the version the original's way, and the forward
// migrations 0.0 -> 1.0 -> 2.0 -> 3.0 -> 4.0, all run in one transaction.
// Layouts 0.0-3.0 are those the Python original (peewee 3.14) leaves on SQLite
// (reference/upstream-behavior.md §5.1); 4.0 adds our delivery state, attempt history and a
// subscription change counter.
// Thread-safety: functions operate on the connection given; the caller serializes.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace pn::sqlite {

// (0,0) when `notificationsystem` is missing; FailedPrecondition when a part row is missing.
Result<SchemaVersion> ReadSchemaVersion(SqliteConnection& conn);
// True when none of the original's or our tables exist.
Result<bool> SchemaIsEmpty(SqliteConnection& conn);
// Migrates to kCurrentSchema in one transaction; no-op when current. FailedPrecondition naming
// the version when it is not one we know (e.g. 3.1, 5.0).
Status SyncSchema(SqliteConnection& conn);

}  // namespace pn::sqlite
