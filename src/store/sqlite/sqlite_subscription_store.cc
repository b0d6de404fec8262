#include "store/sqlite/sqlite_codec.h"
#include "store/sqlite/sqlite_rows.h"
#include "store/sqlite/sqlite_stores.h"

namespace pn::sqlite {
namespace {

Status NotifyIfOk(SqliteDatabase& db, Status s) {
  if (s.ok()) db.NotifySubscriptionChange();
  return s;
}

std::optional<std::string> OptionalTime(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return StoredTime(*t);
}

// Binds every column but the uuid, in PN_SQLITE_SUBSCRIPTION_COLUMNS order from index 2.
void BindSubscription(Statement& st, const Subscription& s) {
  st.Bind(2, s.name)
      .Bind(3, s.jsonpath)
      .Bind(4, s.user)
      .Bind(5, OptionalTime(s.disabled))
      .Bind(6, s.error)
      .Bind(7, s.target_url)
      .Bind(8, s.version)
      .Bind(9, DumpPython(s.extensions))
      .Bind(10, DumpPython(s.auth))
      .Bind(11, StoredTime(s.created))
      .Bind(12, StoredTime(s.updated))
      .Bind(13, OptionalTime(s.deleted));
}

}  // namespace

Status SqliteSubscriptionStore::Insert(const Subscription& s) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(s.uuid));
  return NotifyIfOk(db_, db_.Write([&](SqliteConnection& conn) -> Status {
    PN_ASSIGN_OR_RETURN(Statement exists,
                        conn.Prepare("SELECT 1 FROM \"eventmatch\" WHERE \"uuid\" IN (?, ?)"));
    exists.Bind(1, keys.hex).Bind(2, keys.canonical);
    PN_ASSIGN_OR_RETURN(bool taken, exists.Step());
    if (taken) return AlreadyExistsError("subscription " + keys.canonical + " already exists");
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("INSERT INTO \"eventmatch\" (" PN_SQLITE_SUBSCRIPTION_COLUMNS
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st.Bind(1, keys.hex);
    BindSubscription(st, s);
    return st.Run();
  }));
}

Result<std::optional<Subscription>> SqliteSubscriptionStore::Find(std::string_view uuid) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(uuid));
  return db_.Read([&](SqliteConnection& conn) -> Result<std::optional<Subscription>> {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT " PN_SQLITE_SUBSCRIPTION_COLUMNS
                                     " FROM \"eventmatch\" WHERE \"uuid\" IN (?, ?)"));
    st.Bind(1, keys.hex).Bind(2, keys.canonical);
    return FirstRow(st, &ReadSubscription);
  });
}

Result<std::vector<Subscription>> SqliteSubscriptionStore::ListForUser(std::string_view user) {
  return db_.Read([&](SqliteConnection& conn) -> Result<std::vector<Subscription>> {
    PN_ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT " PN_SQLITE_SUBSCRIPTION_COLUMNS
                                                   " FROM \"eventmatch\" WHERE \"user\" = ? AND "
                                                   "\"deleted\" IS NULL ORDER BY rowid"));
    st.Bind(1, user);
    return CollectRows(st, &ReadSubscription);
  });
}

Result<std::vector<Subscription>> SqliteSubscriptionStore::ListActive() {
  return db_.Read([&](SqliteConnection& conn) -> Result<std::vector<Subscription>> {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT " PN_SQLITE_SUBSCRIPTION_COLUMNS
                                     " FROM \"eventmatch\" WHERE \"disabled\" IS NULL AND "
                                     "\"deleted\" IS NULL ORDER BY rowid"));
    return CollectRows(st, &ReadSubscription);
  });
}

Status SqliteSubscriptionStore::Update(const Subscription& s) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(s.uuid));
  return NotifyIfOk(db_, db_.Write([&](SqliteConnection& conn) -> Status {
    PN_ASSIGN_OR_RETURN(
        Statement st,
        conn.Prepare("UPDATE \"eventmatch\" SET \"name\" = ?2, \"jsonpath\" = ?3, \"user\" = ?4, "
                     "\"disabled\" = ?5, \"error\" = ?6, \"target_url\" = ?7, \"version\" = ?8, "
                     "\"extensions\" = ?9, \"auth\" = ?10, \"created\" = ?11, \"updated\" = ?12, "
                     "\"deleted\" = ?13 WHERE \"uuid\" IN (?1, ?14)"));
    st.Bind(1, keys.hex).Bind(14, keys.canonical);
    BindSubscription(st, s);
    PN_RETURN_IF_ERROR(st.Run());
    if (conn.Changes() == 0) return NotFoundError("no subscription " + keys.canonical);
    return OkStatus();
  }));
}

Status SqliteSubscriptionStore::Disable(std::string_view uuid, Timestamp when,
                                        std::string_view error) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(uuid));
  return NotifyIfOk(db_, db_.Write([&](SqliteConnection& conn) -> Status {
    PN_ASSIGN_OR_RETURN(Statement exists,
                        conn.Prepare("SELECT 1 FROM \"eventmatch\" WHERE \"uuid\" IN (?, ?)"));
    exists.Bind(1, keys.hex).Bind(2, keys.canonical);
    PN_ASSIGN_OR_RETURN(bool found, exists.Step());
    if (!found) return NotFoundError("no subscription " + keys.canonical);
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("UPDATE \"eventmatch\" SET \"disabled\" = ?, \"error\" = ? "
                                     "WHERE \"uuid\" IN (?, ?) AND \"disabled\" IS NULL AND "
                                     "\"deleted\" IS NULL"));
    st.Bind(1, StoredTime(when)).Bind(2, error).Bind(3, keys.hex).Bind(4, keys.canonical);
    return st.Run();
  }));
}

Result<int64_t> SqliteSubscriptionStore::CountDisabled() {
  return db_.Read([&](SqliteConnection& conn) -> Result<int64_t> {
    // Walks the eventmatch_disabled index over the disabled rows only.
    PN_ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT count(*) FROM \"eventmatch\" WHERE "
                                                   "\"disabled\" IS NOT NULL AND \"deleted\" IS NULL"));
    PN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return int64_t{0};
    return st.Int(0);
  });
}

Result<int64_t> SqliteSubscriptionStore::ChangeVersion() {
  return db_.Read([&](SqliteConnection& conn) -> Result<int64_t> {
    PN_ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT \"counter\" FROM \"eventmatchchange\" "
                                                   "WHERE \"id\" = 1"));
    PN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return InternalError("the eventmatchchange table has no row; run dbsync");
    return st.Int(0);
  });
}

Status SqliteSubscriptionStore::WaitForChange(int64_t seen_version, Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const uint64_t generation = db_.ChangeGeneration();
    PN_ASSIGN_OR_RETURN(int64_t version, ChangeVersion());
    if (version > seen_version) return OkStatus();
    if (!db_.WaitForGeneration(generation, deadline)) {
      return DeadlineExceededError("no subscription change within the timeout");
    }
  }
}

}  // namespace pn::sqlite
