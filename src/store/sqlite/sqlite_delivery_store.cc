#include "store/sqlite/sqlite_codec.h"
#include "store/sqlite/sqlite_rows.h"
#include "store/sqlite/sqlite_stores.h"

namespace pn::sqlite {

Result<std::vector<Delivery>> SqliteDeliveryStore::ClaimDue(Timestamp now, int limit,
                                                            std::string_view owner,
                                                            Timestamp lease_until) {
  if (limit <= 0) return std::vector<Delivery>();
  const std::string now_text = StoredTime(now);
  return db_.Write([&](SqliteConnection& conn) -> Result<std::vector<Delivery>> {
    // `"state" = 'pending'` verbatim lets SQLite use the partial index eventlogmatch_pending_due.
    PN_ASSIGN_OR_RETURN(
        Statement select,
        conn.Prepare("SELECT " PN_SQLITE_DELIVERY_COLUMNS " FROM \"eventlogmatch\" "
                     "WHERE \"state\" = 'pending' AND \"next_attempt_at\" <= ?1 AND "
                     "(\"lease_expires\" IS NULL OR \"lease_expires\" <= ?1) "
                     "ORDER BY \"next_attempt_at\", rowid LIMIT ?2"));
    select.Bind(1, now_text).Bind(2, limit);
    PN_ASSIGN_OR_RETURN(std::vector<Delivery> due, CollectRows(select, &ReadDelivery));
    PN_ASSIGN_OR_RETURN(Statement lease,
                        conn.Prepare("UPDATE \"eventlogmatch\" SET \"lease_owner\" = ?, "
                                     "\"lease_expires\" = ? WHERE \"uuid\" IN (?, ?)"));
    for (Delivery& d : due) {
      PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(d.uuid));
      lease.Bind(1, owner).Bind(2, StoredTime(lease_until)).Bind(3, keys.hex).Bind(4, keys.canonical);
      PN_RETURN_IF_ERROR(lease.Run());
      d.lease_owner = std::string(owner);
      d.lease_expires = lease_until;
    }
    return due;
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

Status SqliteDeliveryStore::RecordAttempt(const Delivery& delivery,
                                          const DeliveryAttempt& attempt,
                                          const std::optional<std::string>& disable_error) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(delivery.uuid));
  PN_ASSIGN_OR_RETURN(UuidKeys subscription, KeysFor(delivery.subscription_uuid));
  Status recorded = db_.Write([&](SqliteConnection& conn) -> Status {
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

    if (disable_error) {
      PN_ASSIGN_OR_RETURN(Statement disable,
                          conn.Prepare("UPDATE \"eventmatch\" SET \"disabled\" = ?, \"error\" = ? "
                                       "WHERE \"uuid\" IN (?, ?) AND \"disabled\" IS NULL AND "
                                       "\"deleted\" IS NULL"));
      disable.Bind(1, StoredTime(delivery.updated))
          .Bind(2, *disable_error)
          .Bind(3, subscription.hex)
          .Bind(4, subscription.canonical);
      PN_RETURN_IF_ERROR(disable.Run());
    }
    return OkStatus();
  });
  if (recorded.ok() && disable_error) db_.NotifySubscriptionChange();
  return recorded;
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

}  // namespace pn::sqlite
