#include "store/sqlite/sqlite_codec.h"
#include "store/sqlite/sqlite_rows.h"
#include "store/sqlite/sqlite_stores.h"

namespace pn::sqlite {

// Durability of the worker's writes. Append (events and their deliveries) and subscription
// changes commit with the database's synchronous setting (FULL by default: they survive a power
// cut). The delivery worker's own writes - leases taken by a claim or given back, and attempt
// records - commit with synchronous=NORMAL (WriteRelaxed): in WAL mode that still survives a
// crash of the process, and a power cut can lose only the last of them, which is harmless under
// at-least-once: a lost lease is simply absent (the delivery is claimable again), and a lost
// attempt record leaves the delivery pending, so it is delivered once more. Commits stay in
// order, so the next durable Append makes every earlier relaxed commit durable too. An attempt
// record that disables a subscription is a subscription change and commits FULL.
// This saves one fdatasync per claim and per batch of recorded attempts.

namespace {

// A JSON array of every stored spelling (32 hex digits, canonical) of each uuid, for
// `NOT IN (SELECT value FROM json_each(?))`.
Result<std::string> UuidSpellingsJson(std::span<const std::string> uuids) {
  std::string out = "[";
  for (const std::string& uuid : uuids) {
    PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(uuid));
    if (out.size() > 1) out += ',';
    out += '"' + keys.hex + "\",\"" + keys.canonical + '"';
  }
  out += ']';
  return out;
}

// Pending, due at ?1 and not leased at ?1: what a claim may take. `"state" = 'pending'` verbatim
// lets SQLite use the partial index eventlogmatch_pending_due.
#define PN_SQLITE_CLAIMABLE                                  \
  "\"state\" = 'pending' AND \"next_attempt_at\" <= ?1 AND " \
  "(\"lease_expires\" IS NULL OR \"lease_expires\" <= ?1)"

// The rowid selected after PN_SQLITE_DELIVERY_COLUMNS (leases are then set by rowid).
constexpr int kRowidColumn = 14;

// Leases every delivery `select` yields (PN_SQLITE_DELIVERY_COLUMNS, then rowid) to `owner`,
// inside the caller's write transaction, and returns them as leased.
Result<std::vector<Delivery>> LeaseSelected(SqliteConnection& conn, Statement& select,
                                            std::string_view owner, const std::string& lease_text,
                                            Timestamp lease_until) {
  std::vector<Delivery> due;
  std::vector<int64_t> rowids;
  while (true) {
    PN_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    PN_ASSIGN_OR_RETURN(Delivery d, ReadDelivery(select));
    rowids.push_back(select.Int(kRowidColumn));
    due.push_back(std::move(d));
  }
  PN_ASSIGN_OR_RETURN(Statement lease,
                      conn.Prepare("UPDATE \"eventlogmatch\" SET \"lease_owner\" = ?, "
                                   "\"lease_expires\" = ? WHERE rowid = ?"));
  for (std::size_t i = 0; i < due.size(); ++i) {
    lease.Bind(1, owner).Bind(2, lease_text).Bind(3, rowids[i]);
    PN_RETURN_IF_ERROR(lease.Run());
    due[i].lease_owner = std::string(owner);
    due[i].lease_expires = lease_until;
  }
  return due;
}

}  // namespace

Result<std::vector<Delivery>> SqliteDeliveryStore::ClaimDue(Timestamp now, int limit,
                                                            std::string_view owner,
                                                            Timestamp lease_until) {
  return ClaimDueSkipping(now, limit, owner, lease_until, {});
}

Result<std::vector<Delivery>> SqliteDeliveryStore::ClaimDueSkipping(
    Timestamp now, int limit, std::string_view owner, Timestamp lease_until,
    std::span<const std::string> skip_subscriptions) {
  if (limit <= 0) return std::vector<Delivery>();
  const std::string now_text = StoredTime(now);
  const std::string lease_text = StoredTime(lease_until);
  if (skip_subscriptions.empty()) {
    // The due work is at the front of the pending index: one short write transaction.
    return db_.WriteRelaxed([&](SqliteConnection& conn) -> Result<std::vector<Delivery>> {
      PN_ASSIGN_OR_RETURN(
          Statement select,
          conn.Prepare("SELECT " PN_SQLITE_DELIVERY_COLUMNS ", rowid FROM \"eventlogmatch\" "
                       "WHERE " PN_SQLITE_CLAIMABLE " "
                       "ORDER BY \"next_attempt_at\", rowid LIMIT ?2"));
      select.Bind(1, now_text).Bind(2, limit);
      return LeaseSelected(conn, select, owner, lease_text, lease_until);
    });
  }
  // Skipping: the skipped subscriptions' backlog lies in front of what is wanted, and reading
  // past it can take milliseconds. Do that on a read connection, without the writer (which
  // /receive and the attempt records need), and often find nothing; then lease what was found
  // by rowid, checking again that it is still due and unleased (another claim may have taken
  // it in between).
  PN_ASSIGN_OR_RETURN(const std::string skip_json, UuidSpellingsJson(skip_subscriptions));
  PN_ASSIGN_OR_RETURN(
      std::string candidates, db_.Read([&](SqliteConnection& conn) -> Result<std::string> {
        PN_ASSIGN_OR_RETURN(
            Statement select,
            conn.Prepare("SELECT rowid FROM \"eventlogmatch\" "
                         "WHERE " PN_SQLITE_CLAIMABLE " AND "
                         "\"event_match_id\" NOT IN (SELECT value FROM json_each(?3)) "
                         "ORDER BY \"next_attempt_at\", rowid LIMIT ?2"));
        select.Bind(1, now_text).Bind(2, limit).Bind(3, skip_json);
        std::string rowids = "[";
        while (true) {
          PN_ASSIGN_OR_RETURN(bool row, select.Step());
          if (!row) break;
          if (rowids.size() > 1) rowids += ',';
          rowids += std::to_string(select.Int(0));
        }
        rowids += ']';
        return rowids;
      }));
  if (candidates == "[]") return std::vector<Delivery>();
  return db_.WriteRelaxed([&](SqliteConnection& conn) -> Result<std::vector<Delivery>> {
    PN_ASSIGN_OR_RETURN(
        Statement select,
        conn.Prepare("SELECT " PN_SQLITE_DELIVERY_COLUMNS ", rowid FROM \"eventlogmatch\" "
                     "WHERE rowid IN (SELECT value FROM json_each(?2)) AND " PN_SQLITE_CLAIMABLE " "
                     "ORDER BY \"next_attempt_at\", rowid"));
    select.Bind(1, now_text).Bind(2, candidates);
    return LeaseSelected(conn, select, owner, lease_text, lease_until);
  });
}

Result<std::optional<Timestamp>> SqliteDeliveryStore::NextDueAt() {
  return db_.Read([&](SqliteConnection& conn) -> Result<std::optional<Timestamp>> {
    PN_ASSIGN_OR_RETURN(
        Statement st,
        conn.Prepare("SELECT min(max(\"next_attempt_at\", coalesce(\"lease_expires\", "
                     "\"next_attempt_at\"))) FROM \"eventlogmatch\" WHERE \"state\" = 'pending'"));
    PN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || st.IsNull(0)) return std::optional<Timestamp>();
    PN_ASSIGN_OR_RETURN(Timestamp t, ReadTime(st.Text(0), "next_attempt_at"));
    return std::optional<Timestamp>(t);
  });
}

namespace {

// RecordAttempt's rows, inside the caller's write transaction.
Status RecordIn(SqliteConnection& conn, const AttemptWrite& item) {
  const Delivery& delivery = item.delivery;
  const DeliveryAttempt& attempt = item.attempt;
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(delivery.uuid));
  PN_ASSIGN_OR_RETURN(
      Statement update,
      conn.Prepare("UPDATE \"eventlogmatch\" SET \"state\" = ?, \"attempts\" = ?, "
                   "\"next_attempt_at\" = ?, \"policy_status_code\" = ?, "
                   "\"policy_resp_body\" = ?, \"target_status_code\" = ?, "
                   "\"target_resp_body\" = ?, \"updated\" = ?, \"lease_owner\" = NULL, "
                   "\"lease_expires\" = NULL WHERE \"uuid\" IN (?, ?)"));
  update.Bind(1, DeliveryStateName(delivery.state))
      .Bind(2, delivery.attempts)
      .Bind(3, StoredTime(delivery.next_attempt_at))
      .Bind(4, delivery.policy_status_code)
      .Bind(5, delivery.policy_resp_body)
      .Bind(6, delivery.target_status_code)
      .Bind(7, delivery.target_resp_body)
      .Bind(8, StoredTime(delivery.updated))
      .Bind(9, keys.hex)
      .Bind(10, keys.canonical);
  PN_RETURN_IF_ERROR(update.Run());
  if (conn.Changes() == 0) return NotFoundError("no delivery " + keys.canonical);

  PN_ASSIGN_OR_RETURN(Statement insert,
                      conn.Prepare("INSERT INTO \"deliveryattempt\" (" PN_SQLITE_ATTEMPT_COLUMNS
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, keys.hex)
      .Bind(2, attempt.number)
      .Bind(3, StoredTime(attempt.started))
      .Bind(4, static_cast<int64_t>(attempt.duration.count()));
  if (attempt.policy_status) insert.Bind(5, *attempt.policy_status);
  else insert.BindNull(5);
  insert.Bind(6, attempt.policy_body);
  if (attempt.target_status) insert.Bind(7, *attempt.target_status);
  else insert.BindNull(7);
  insert.Bind(8, attempt.target_body).Bind(9, attempt.error);
  Status inserted = insert.Run();
  if (inserted.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("attempt " + std::to_string(attempt.number) + " of delivery " +
                              keys.canonical + " is already recorded");
  }
  PN_RETURN_IF_ERROR(inserted);

  if (item.disable_error) {
    PN_ASSIGN_OR_RETURN(UuidKeys subscription, KeysFor(delivery.subscription_uuid));
    PN_ASSIGN_OR_RETURN(Statement disable,
                        conn.Prepare("UPDATE \"eventmatch\" SET \"disabled\" = ?, \"error\" = ? "
                                     "WHERE \"uuid\" IN (?, ?) AND \"disabled\" IS NULL AND "
                                     "\"deleted\" IS NULL"));
    disable.Bind(1, StoredTime(delivery.updated))
        .Bind(2, *item.disable_error)
        .Bind(3, subscription.hex)
        .Bind(4, subscription.canonical);
    PN_RETURN_IF_ERROR(disable.Run());
  }
  return OkStatus();
}

}  // namespace

Status SqliteDeliveryStore::RecordAttempt(const Delivery& delivery,
                                          const DeliveryAttempt& attempt,
                                          const std::optional<std::string>& disable_error) {
  AttemptWrite item{delivery, attempt, disable_error};
  Status recorded = db_.Write([&](SqliteConnection& conn) { return RecordIn(conn, item); });
  if (recorded.ok() && disable_error) db_.NotifySubscriptionChange();
  return recorded;
}

std::vector<Status> SqliteDeliveryStore::RecordAttempts(std::span<const AttemptWrite> items) {
  bool disables = false;
  for (const AttemptWrite& item : items) disables = disables || item.disable_error.has_value();
  auto all = [&](SqliteConnection& conn) -> Status {
    for (const AttemptWrite& item : items) PN_RETURN_IF_ERROR(RecordIn(conn, item));
    return OkStatus();
  };
  // A disable is a subscription change: durable like one (see the top of this file).
  Status batch = disables ? db_.Write(all) : db_.WriteRelaxed(all);
  if (batch.ok()) {
    if (disables) db_.NotifySubscriptionChange();
    return std::vector<Status>(items.size(), OkStatus());
  }
  // Some item failed (or the database did): the batch was rolled back. Record item by item so
  // each gets its own answer and the others are kept. Rare: a refused duplicate after a lease
  // expired, or a delivery purged meanwhile.
  std::vector<Status> out;
  out.reserve(items.size());
  for (const AttemptWrite& item : items) {
    Status one = item.disable_error
                     ? db_.Write([&](SqliteConnection& conn) { return RecordIn(conn, item); })
                     : db_.WriteRelaxed([&](SqliteConnection& conn) { return RecordIn(conn, item); });
    if (one.ok() && item.disable_error) db_.NotifySubscriptionChange();
    out.push_back(std::move(one));
  }
  return out;
}

Status SqliteDeliveryStore::ReleaseLeases(std::span<const LeaseRelease> releases,
                                          std::string_view owner) {
  if (releases.empty()) return OkStatus();
  std::vector<UuidKeys> keys;
  keys.reserve(releases.size());
  for (const LeaseRelease& r : releases) {
    PN_ASSIGN_OR_RETURN(UuidKeys k, KeysFor(r.delivery_uuid));
    keys.push_back(std::move(k));
  }
  return db_.WriteRelaxed([&](SqliteConnection& conn) -> Status {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("UPDATE \"eventlogmatch\" SET \"lease_owner\" = NULL, "
                                     "\"lease_expires\" = NULL, \"next_attempt_at\" = ? "
                                     "WHERE \"uuid\" IN (?, ?) AND \"lease_owner\" = ?"));
    for (std::size_t i = 0; i < releases.size(); ++i) {
      st.Bind(1, StoredTime(releases[i].next_attempt_at))
          .Bind(2, keys[i].hex)
          .Bind(3, keys[i].canonical)
          .Bind(4, owner);
      PN_RETURN_IF_ERROR(st.Run());
    }
    return OkStatus();
  });
}

Status SqliteDeliveryStore::ReleaseLease(std::string_view delivery_uuid, std::string_view owner,
                                         Timestamp next_attempt_at) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(delivery_uuid));
  return db_.Write([&](SqliteConnection& conn) -> Status {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("UPDATE \"eventlogmatch\" SET \"lease_owner\" = NULL, "
                                     "\"lease_expires\" = NULL, \"next_attempt_at\" = ? "
                                     "WHERE \"uuid\" IN (?, ?) AND \"lease_owner\" = ?"));
    st.Bind(1, StoredTime(next_attempt_at)).Bind(2, keys.hex).Bind(3, keys.canonical).Bind(4, owner);
    return st.Run();
  });
}

Result<std::optional<Delivery>> SqliteDeliveryStore::FindDelivery(std::string_view uuid) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(uuid));
  return db_.Read([&](SqliteConnection& conn) -> Result<std::optional<Delivery>> {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT " PN_SQLITE_DELIVERY_COLUMNS
                                     " FROM \"eventlogmatch\" WHERE \"uuid\" IN (?, ?)"));
    st.Bind(1, keys.hex).Bind(2, keys.canonical);
    return FirstRow(st, &ReadDelivery);
  });
}

Result<std::vector<DeliveryAttempt>> SqliteDeliveryStore::AttemptsFor(
    std::string_view delivery_uuid) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(delivery_uuid));
  return db_.Read([&](SqliteConnection& conn) -> Result<std::vector<DeliveryAttempt>> {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT " PN_SQLITE_ATTEMPT_COLUMNS
                                     " FROM \"deliveryattempt\" WHERE \"delivery_id\" IN (?, ?) "
                                     "ORDER BY \"number\""));
    st.Bind(1, keys.hex).Bind(2, keys.canonical);
    return CollectRows(st, &ReadAttempt);
  });
}

Result<std::vector<Delivery>> SqliteDeliveryStore::DeliveriesForSubscription(
    std::string_view uuid, int limit) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(uuid));
  return db_.Read([&](SqliteConnection& conn) -> Result<std::vector<Delivery>> {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT " PN_SQLITE_DELIVERY_COLUMNS
                                     " FROM \"eventlogmatch\" WHERE \"event_match_id\" IN (?, ?) "
                                     "ORDER BY \"created\" DESC, rowid DESC LIMIT ?"));
    st.Bind(1, keys.hex).Bind(2, keys.canonical).Bind(3, limit);
    return CollectRows(st, &ReadDelivery);
  });
}

Result<int64_t> SqliteDeliveryStore::CountPending() {
  return db_.Read([&](SqliteConnection& conn) -> Result<int64_t> {
    PN_ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT count(*) FROM \"eventlogmatch\" "
                                                   "WHERE \"state\" = 'pending'"));
    PN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return int64_t{0};
    return st.Int(0);
  });
}

Result<PendingSummary> SqliteDeliveryStore::SummarizePending() {
  return db_.Read([&](SqliteConnection& conn) -> Result<PendingSummary> {
    // `"state" = 'pending'` verbatim: the partial index eventlogmatch_pending_due bounds the
    // scan to pending rows. Stored times are ISO text, so min() picks the earliest.
    PN_ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT count(*), min(\"created\") FROM "
                                                   "\"eventlogmatch\" WHERE \"state\" = 'pending'"));
    PN_ASSIGN_OR_RETURN(bool row, st.Step());
    PendingSummary out;
    if (!row) return out;
    out.count = st.Int(0);
    if (!st.IsNull(1)) {
      PN_ASSIGN_OR_RETURN(Timestamp t, ReadTime(st.Text(1), "created"));
      out.oldest_created = t;
    }
    return out;
  });
}

}  // namespace pn::sqlite
