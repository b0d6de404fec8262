#include "store/postgres/pg_codec.h"

#include "common/time_format.h"
#include "common/uuid.h"

namespace pn::pg {
namespace {

Result<Json> ReadJsonColumn(const std::optional<std::string>& stored, std::string_view what) {
  if (!stored || stored->empty()) return Json::object();  // NULL auth of pre-2.0 rows
  auto j = ParseJson(*stored);
  if (!j.ok()) return InternalError("stored " + std::string(what) + ": " + j.status().message());
  if (j->is_null()) return Json::object();
  return *j;
}

Result<std::string> ReadUuid(const PgResult& res, int row, int column, std::string_view what) {
  auto u = CanonicalUuid(res.Text(row, column));
  if (!u.ok()) return InternalError("stored " + std::string(what) + ": " + u.status().message());
  return *u;
}

}  // namespace

Result<std::string> KeyFor(std::string_view uuid) { return CanonicalUuid(uuid); }

Param TimeParam(Timestamp t) { return FormatStorageTimestamp(t); }

Param TimeParam(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return FormatStorageTimestamp(*t);
}

Result<Timestamp> ReadTime(const PgResult& res, int row, int column, std::string_view what) {
  auto t = ParseTimestamp(res.Text(row, column));
  if (!t.ok()) return InternalError("stored " + std::string(what) + ": " + t.status().message());
  return *t;
}

Result<std::optional<Timestamp>> ReadOptionalTime(const PgResult& res, int row, int column,
                                                  std::string_view what) {
  if (res.IsNull(row, column)) return std::optional<Timestamp>();
  PN_ASSIGN_OR_RETURN(Timestamp t, ReadTime(res, row, column, what));
  return std::optional<Timestamp>(t);
}

Result<Subscription> ReadSubscription(const PgResult& res, int r) {
  Subscription s;
  PN_ASSIGN_OR_RETURN(s.uuid, ReadUuid(res, r, 0, "eventmatch.uuid"));
  const std::string row = " of eventmatch " + s.uuid;
  s.name = res.Text(r, 1);
  s.jsonpath = res.Text(r, 2);
  s.user = res.Text(r, 3);
  PN_ASSIGN_OR_RETURN(s.disabled, ReadOptionalTime(res, r, 4, "disabled" + row));
  s.error = res.OptionalText(r, 5);
  s.target_url = res.Text(r, 6);
  s.version = res.Text(r, 7);
  PN_ASSIGN_OR_RETURN(s.extensions, ReadJsonColumn(res.OptionalText(r, 8), "extensions" + row));
  PN_ASSIGN_OR_RETURN(s.auth, ReadJsonColumn(res.OptionalText(r, 9), "auth" + row));
  PN_ASSIGN_OR_RETURN(s.created, ReadTime(res, r, 10, "created" + row));
  PN_ASSIGN_OR_RETURN(s.updated, ReadTime(res, r, 11, "updated" + row));
  PN_ASSIGN_OR_RETURN(s.deleted, ReadOptionalTime(res, r, 12, "deleted" + row));
  return s;
}

Result<StoredEvent> ReadEvent(const PgResult& res, int r) {
  StoredEvent e;
  PN_ASSIGN_OR_RETURN(e.uuid, ReadUuid(res, r, 0, "eventlog.uuid"));
  e.jsondata = res.Text(r, 1);
  PN_ASSIGN_OR_RETURN(e.created, ReadTime(res, r, 2, "created of eventlog " + e.uuid));
  return e;
}

Result<Delivery> ReadDelivery(const PgResult& res, int r) {
  Delivery d;
  PN_ASSIGN_OR_RETURN(d.uuid, ReadUuid(res, r, 0, "eventlogmatch.uuid"));
  const std::string row = " of eventlogmatch " + d.uuid;
  PN_ASSIGN_OR_RETURN(d.event_uuid, ReadUuid(res, r, 1, "event_log_id" + row));
  PN_ASSIGN_OR_RETURN(d.subscription_uuid, ReadUuid(res, r, 2, "event_match_id" + row));
  const std::string state = res.Text(r, 3);
  auto parsed = ParseDeliveryState(state);
  if (!parsed) return InternalError("stored state" + row + ": unknown state '" + state + "'");
  d.state = *parsed;
  d.attempts = static_cast<int>(res.Int(r, 4));
  d.policy_status_code = res.Text(r, 6);
  d.policy_resp_body = res.Text(r, 7);
  d.target_status_code = res.Text(r, 8);
  d.target_resp_body = res.Text(r, 9);
  PN_ASSIGN_OR_RETURN(d.created, ReadTime(res, r, 10, "created" + row));
  // Rows migrated from 3.0 carry these; NULL is read as "since creation".
  d.next_attempt_at = d.created;
  d.updated = d.created;
  if (!res.IsNull(r, 5)) {
    PN_ASSIGN_OR_RETURN(d.next_attempt_at, ReadTime(res, r, 5, "next_attempt_at" + row));
  }
  if (!res.IsNull(r, 11)) {
    PN_ASSIGN_OR_RETURN(d.updated, ReadTime(res, r, 11, "updated" + row));
  }
  d.lease_owner = res.Text(r, 12);
  PN_ASSIGN_OR_RETURN(d.lease_expires, ReadOptionalTime(res, r, 13, "lease_expires" + row));
  return d;
}

Result<DeliveryAttempt> ReadAttempt(const PgResult& res, int r) {
  DeliveryAttempt a;
  PN_ASSIGN_OR_RETURN(a.delivery_uuid, ReadUuid(res, r, 0, "deliveryattempt.delivery_id"));
  a.number = static_cast<int>(res.Int(r, 1));
  PN_ASSIGN_OR_RETURN(a.started, ReadTime(res, r, 2, "started of a deliveryattempt"));
  a.duration = Duration(res.Int(r, 3));
  if (auto p = res.OptionalInt(r, 4)) a.policy_status = static_cast<int>(*p);
  a.policy_body = res.Text(r, 5);
  if (auto t = res.OptionalInt(r, 6)) a.target_status = static_cast<int>(*t);
  a.target_body = res.Text(r, 7);
  a.error = res.Text(r, 8);
  return a;
}

}  // namespace pn::pg
