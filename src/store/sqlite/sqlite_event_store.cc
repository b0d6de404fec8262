#include "store/sqlite/sqlite_codec.h"
#include "store/sqlite/sqlite_rows.h"
#include "store/sqlite/sqlite_stores.h"

namespace pn::sqlite {

Status InsertDelivery(SqliteConnection& conn, const Delivery& d) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(d.uuid));
  PN_ASSIGN_OR_RETURN(UuidKeys event, KeysFor(d.event_uuid));
  PN_ASSIGN_OR_RETURN(UuidKeys subscription, KeysFor(d.subscription_uuid));
  PN_ASSIGN_OR_RETURN(Statement st,
                      conn.Prepare("INSERT INTO \"eventlogmatch\" (" PN_SQLITE_DELIVERY_COLUMNS
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, keys.hex)
      .Bind(2, event.hex)
      .Bind(3, subscription.hex)
      .Bind(4, DeliveryStateName(d.state))
      .Bind(5, d.attempts)
      .Bind(6, StoredTime(d.next_attempt_at))
      .Bind(7, d.policy_status_code)
      .Bind(8, d.policy_resp_body)
      .Bind(9, d.target_status_code)
      .Bind(10, d.target_resp_body)
      .Bind(11, StoredTime(d.created))
      .Bind(12, StoredTime(d.updated));
  if (d.lease_owner.empty()) st.BindNull(13);
  else st.Bind(13, d.lease_owner);
  if (d.lease_expires) st.Bind(14, StoredTime(*d.lease_expires));
  else st.BindNull(14);
  Status s = st.Run();
  if (s.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("delivery " + keys.canonical + " already exists");
  }
  return s;
}

Status SqliteEventStore::Append(std::span<const NewEvent> batch) {
  if (batch.empty()) return OkStatus();
  return db_.Write([&](SqliteConnection& conn) -> Status {
    for (const NewEvent& item : batch) {
      PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(item.event.uuid));
      PN_ASSIGN_OR_RETURN(Statement st,
                          conn.Prepare("INSERT INTO \"eventlog\" (" PN_SQLITE_EVENT_COLUMNS
                                       ") VALUES (?, ?, ?)"));
      st.Bind(1, keys.hex).Bind(2, item.event.jsondata).Bind(3, StoredTime(item.event.created));
      Status s = st.Run();
      if (s.code() == StatusCode::kAlreadyExists) {
        return AlreadyExistsError("event " + keys.canonical + " already exists");
      }
      PN_RETURN_IF_ERROR(s);
      for (const Delivery& d : item.deliveries) PN_RETURN_IF_ERROR(InsertDelivery(conn, d));
    }
    return OkStatus();
  });
}

Status SqliteEventStore::AddDeliveries(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return OkStatus();
  return db_.Write([&](SqliteConnection& conn) -> Status {
    for (const Delivery& d : deliveries) PN_RETURN_IF_ERROR(InsertDelivery(conn, d));
    return OkStatus();
  });
}

Result<std::optional<StoredEvent>> SqliteEventStore::FindEvent(std::string_view uuid) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(uuid));
  return db_.Read([&](SqliteConnection& conn) -> Result<std::optional<StoredEvent>> {
    PN_ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT " PN_SQLITE_EVENT_COLUMNS
                                                   " FROM \"eventlog\" WHERE \"uuid\" IN (?, ?)"));
    st.Bind(1, keys.hex).Bind(2, keys.canonical);
    return FirstRow(st, &ReadEvent);
  });
}

Result<std::vector<StoredEvent>> SqliteEventStore::ListEvents(Timestamp after, Timestamp before,
                                                              int limit) {
  return db_.Read([&](SqliteConnection& conn) -> Result<std::vector<StoredEvent>> {
    // Stored times compare correctly as text: fixed-width fields, and a time without a
    // fraction is a prefix of the same second with one.
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT " PN_SQLITE_EVENT_COLUMNS
                                     " FROM \"eventlog\" WHERE \"created\" > ? AND \"created\" < ? "
                                     "ORDER BY \"created\", rowid LIMIT ?"));
    st.Bind(1, StoredTime(after)).Bind(2, StoredTime(before)).Bind(3, limit);
    return CollectRows(st, &ReadEvent);
  });
}

Result<std::vector<Delivery>> SqliteEventStore::DeliveriesForEvent(std::string_view event_uuid) {
  PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(event_uuid));
  return db_.Read([&](SqliteConnection& conn) -> Result<std::vector<Delivery>> {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT " PN_SQLITE_DELIVERY_COLUMNS
                                     " FROM \"eventlogmatch\" WHERE \"event_log_id\" IN (?, ?) "
                                     "ORDER BY \"created\", rowid"));
    st.Bind(1, keys.hex).Bind(2, keys.canonical);
    return CollectRows(st, &ReadDelivery);
  });
}

Result<std::vector<std::string>> SqliteEventStore::EventsCreatedBefore(Timestamp before,
                                                                       int limit) {
  return db_.Read([&](SqliteConnection& conn) -> Result<std::vector<std::string>> {
    PN_ASSIGN_OR_RETURN(Statement st,
                        conn.Prepare("SELECT \"uuid\" FROM \"eventlog\" WHERE \"created\" < ? "
                                     "ORDER BY \"created\", rowid LIMIT ?"));
    st.Bind(1, StoredTime(before)).Bind(2, limit);
    std::vector<std::string> out;
    while (true) {
      PN_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      PN_ASSIGN_OR_RETURN(std::string uuid, ReadUuid(st.Text(0), "eventlog.uuid"));
      out.push_back(std::move(uuid));
    }
  });
}

Result<int64_t> SqliteEventStore::PurgeEvents(std::span<const std::string> uuids) {
  std::vector<UuidKeys> all;
  for (const std::string& u : uuids) {
    PN_ASSIGN_OR_RETURN(UuidKeys keys, KeysFor(u));
    all.push_back(std::move(keys));
  }
  if (all.empty()) return int64_t{0};
  return db_.Write([&](SqliteConnection& conn) -> Result<int64_t> {
    int64_t purged = 0;
    for (const UuidKeys& keys : all) {
      PN_ASSIGN_OR_RETURN(
          Statement attempts,
          conn.Prepare("DELETE FROM \"deliveryattempt\" WHERE \"delivery_id\" IN (SELECT "
                       "\"uuid\" FROM \"eventlogmatch\" WHERE \"event_log_id\" IN (?, ?))"));
      attempts.Bind(1, keys.hex).Bind(2, keys.canonical);
      PN_RETURN_IF_ERROR(attempts.Run());
      PN_ASSIGN_OR_RETURN(Statement deliveries,
                          conn.Prepare("DELETE FROM \"eventlogmatch\" WHERE \"event_log_id\" IN "
                                       "(?, ?)"));
      deliveries.Bind(1, keys.hex).Bind(2, keys.canonical);
      PN_RETURN_IF_ERROR(deliveries.Run());
      PN_ASSIGN_OR_RETURN(Statement event,
                          conn.Prepare("DELETE FROM \"eventlog\" WHERE \"uuid\" IN (?, ?)"));
      event.Bind(1, keys.hex).Bind(2, keys.canonical);
      PN_RETURN_IF_ERROR(event.Run());
      purged += conn.Changes();
    }
    return purged;
  });
}

}  // namespace pn::sqlite
