#include "store/postgres/pg_codec.h"
#include "store/postgres/pg_stores.h"

namespace pn::pg {
namespace {

// Rows go in as one array parameter per column (a single round trip per table, whatever the
// batch size); WITH ORDINALITY keeps their order, so "seq" follows the batch.
constexpr const char* kInsertEvents =
    "INSERT INTO \"eventlog\" (" PN_PG_EVENT_COLUMNS ") SELECT u, j, c FROM "
    "unnest($1::uuid[], $2::text[], $3::timestamp[]) WITH ORDINALITY AS t(u, j, c, n) "
    "ORDER BY n";

constexpr const char* kInsertDeliveries =
    "INSERT INTO \"eventlogmatch\" (" PN_PG_DELIVERY_COLUMNS ") SELECT c1, c2, c3, c4, c5, c6, "
    "c7, c8, c9, c10, c11, c12, c13, c14 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], "
    "$4::text[], $5::int[], $6::timestamp[], $7::text[], $8::text[], $9::text[], $10::text[], "
    "$11::timestamp[], $12::timestamp[], $13::text[], $14::timestamp[]) WITH ORDINALITY AS "
    "t(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, n) ORDER BY n";

Result<std::vector<std::string>> Keys(std::span<const std::string> uuids) {
  std::vector<std::string> keys;
  keys.reserve(uuids.size());
  for (const std::string& u : uuids) {
    PN_ASSIGN_OR_RETURN(std::string key, KeyFor(u));
    keys.push_back(std::move(key));
  }
  return keys;
}

std::string KeyArray(const std::vector<std::string>& keys) {
  return ArrayLiteral(std::vector<Param>(keys.begin(), keys.end()));
}

}  // namespace

Status InsertDeliveries(PgConnection& conn, std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return OkStatus();
  std::vector<std::vector<Param>> columns(14);
  for (const Delivery& d : deliveries) {
    PN_ASSIGN_OR_RETURN(std::string key, KeyFor(d.uuid));
    PN_ASSIGN_OR_RETURN(std::string event, KeyFor(d.event_uuid));
    PN_ASSIGN_OR_RETURN(std::string subscription, KeyFor(d.subscription_uuid));
    columns[0].push_back(key);
    columns[1].push_back(event);
    columns[2].push_back(subscription);
    columns[3].push_back(std::string(DeliveryStateName(d.state)));
    columns[4].push_back(std::to_string(d.attempts));
    columns[5].push_back(TimeParam(d.next_attempt_at));
    columns[6].push_back(d.policy_status_code);
    columns[7].push_back(d.policy_resp_body);
    columns[8].push_back(d.target_status_code);
    columns[9].push_back(d.target_resp_body);
    columns[10].push_back(TimeParam(d.created));
    columns[11].push_back(TimeParam(d.updated));
    columns[12].push_back(d.lease_owner.empty() ? Param() : Param(d.lease_owner));
    columns[13].push_back(TimeParam(d.lease_expires));
  }
  std::vector<Param> params;
  for (const auto& column : columns) params.push_back(ArrayLiteral(column));
  Result<PgResult> res = conn.Query(kInsertDeliveries, params);
  if (res.status().code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("a delivery of the batch already exists: " +
                              res.status().message());
  }
  return res.status();
}

Status PgEventStore::Append(std::span<const NewEvent> batch) {
  if (batch.empty()) return OkStatus();
  std::vector<Param> uuids, bodies, created;
  std::vector<Delivery> deliveries;
  for (const NewEvent& item : batch) {
    PN_ASSIGN_OR_RETURN(std::string key, KeyFor(item.event.uuid));
    uuids.push_back(key);
    bodies.push_back(item.event.jsondata);
    created.push_back(TimeParam(item.event.created));
    deliveries.insert(deliveries.end(), item.deliveries.begin(), item.deliveries.end());
  }
  const std::vector<Param> params = {ArrayLiteral(uuids), ArrayLiteral(bodies),
                                     ArrayLiteral(created)};
  return pool_.Transaction([&](PgConnection& conn) -> Status {
    Result<PgResult> res = conn.Query(kInsertEvents, params);
    if (res.status().code() == StatusCode::kAlreadyExists) {
      return AlreadyExistsError("an event of the batch already exists: " +
                                res.status().message());
    }
    PN_RETURN_IF_ERROR(res.status());
    return InsertDeliveries(conn, deliveries);
  });
}

Status PgEventStore::AddDeliveries(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return OkStatus();
  return pool_.Run([&](PgConnection& conn) { return InsertDeliveries(conn, deliveries); });
}

Result<std::optional<StoredEvent>> PgEventStore::FindEvent(std::string_view uuid) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(uuid));
  return pool_.Run([&](PgConnection& conn) -> Result<std::optional<StoredEvent>> {
    PN_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT " PN_PG_EVENT_COLUMNS
                                                 " FROM \"eventlog\" WHERE \"uuid\" = $1",
                                                 {key}));
    return FirstRow(res, &ReadEvent);
  });
}

Result<std::vector<StoredEvent>> PgEventStore::ListEvents(Timestamp after, Timestamp before,
                                                          int limit) {
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<StoredEvent>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("SELECT " PN_PG_EVENT_COLUMNS
                                   " FROM \"eventlog\" WHERE \"created\" > $1 AND "
                                   "\"created\" < $2 ORDER BY \"created\", \"seq\" LIMIT $3",
                                   {TimeParam(after), TimeParam(before), std::to_string(limit)}));
    return AllRows(res, &ReadEvent);
  });
}

Result<std::vector<Delivery>> PgEventStore::DeliveriesForEvent(std::string_view event_uuid) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(event_uuid));
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<Delivery>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("SELECT " PN_PG_DELIVERY_COLUMNS
                                   " FROM \"eventlogmatch\" WHERE \"event_log_id\" = $1 "
                                   "ORDER BY \"created\", \"seq\"",
                                   {key}));
    return AllRows(res, &ReadDelivery);
  });
}

Result<std::vector<std::string>> PgEventStore::EventsCreatedBefore(Timestamp before,
                                                                   int limit) {
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<std::string>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("SELECT \"uuid\" FROM \"eventlog\" WHERE \"created\" < $1 "
                                   "ORDER BY \"created\", \"seq\" LIMIT $2",
                                   {TimeParam(before), std::to_string(limit)}));
    std::vector<std::string> out;
    for (int r = 0; r < res.rows(); ++r) out.push_back(res.Text(r, 0));
    return out;
  });
}

Result<int64_t> PgEventStore::PurgeEvents(std::span<const std::string> uuids) {
  PN_ASSIGN_OR_RETURN(std::vector<std::string> keys, Keys(uuids));
  if (keys.empty()) return int64_t{0};
  const std::vector<Param> params = {KeyArray(keys)};
  return pool_.Transaction([&](PgConnection& conn) -> Result<int64_t> {
    PN_RETURN_IF_ERROR(
        conn.Query("DELETE FROM \"deliveryattempt\" WHERE \"delivery_id\" IN (SELECT \"uuid\" "
                   "FROM \"eventlogmatch\" WHERE \"event_log_id\" = ANY($1::uuid[]))",
                   params)
            .status());
    PN_RETURN_IF_ERROR(conn.Query("DELETE FROM \"eventlogmatch\" WHERE \"event_log_id\" = "
                                  "ANY($1::uuid[])",
                                  params)
                           .status());
    PN_ASSIGN_OR_RETURN(PgResult events,
                        conn.Query("DELETE FROM \"eventlog\" WHERE \"uuid\" = ANY($1::uuid[])",
                                   params));
    return events.AffectedRows();
  });
}

}  // namespace pn::pg
