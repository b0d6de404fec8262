#include "store/sqlite/sqlite_codec.h"

#include "common/time_format.h"
#include "common/uuid.h"

namespace pn::sqlite {
namespace {

Result<std::optional<Timestamp>> ReadOptionalTime(const Statement& st, int column,
                                                  std::string_view what) {
  if (st.IsNull(column)) return std::optional<Timestamp>();
  PN_ASSIGN_OR_RETURN(Timestamp t, ReadTime(st.Text(column), what));
  return std::optional<Timestamp>(t);
}

}  // namespace

Result<UuidKeys> KeysFor(std::string_view uuid) {
  PN_ASSIGN_OR_RETURN(std::string canonical, CanonicalUuid(uuid));
  return UuidKeys{UuidHex(canonical), canonical};
}

std::string StoredTime(Timestamp t) { return FormatStorageTimestamp(t); }

Result<Timestamp> ReadTime(std::string_view stored, std::string_view what) {
  auto t = ParseTimestamp(stored);
  if (!t.ok()) return InternalError("stored " + std::string(what) + ": " + t.status().message());
  return *t;
}

Result<std::string> ReadUuid(std::string_view stored, std::string_view what) {
  auto u = CanonicalUuid(stored);
  if (!u.ok()) return InternalError("stored " + std::string(what) + ": " + u.status().message());
  return *u;
}

Result<Json> ReadJsonColumn(const std::optional<std::string>& stored, std::string_view what) {
  if (!stored || stored->empty()) return Json::object();  // NULL auth of pre-2.0 rows
  auto j = ParseJson(*stored);
  if (!j.ok()) return InternalError("stored " + std::string(what) + ": " + j.status().message());
  if (j->is_null()) return Json::object();
  return *j;
}

Result<Subscription> ReadSubscription(const Statement& st) {
  Subscription s;
  PN_ASSIGN_OR_RETURN(s.uuid, ReadUuid(st.Text(0), "eventmatch.uuid"));
  const std::string row = " of eventmatch " + s.uuid;
  s.name = st.Text(1);
  s.jsonpath = st.Text(2);
  s.user = st.Text(3);
  PN_ASSIGN_OR_RETURN(s.disabled, ReadOptionalTime(st, 4, "disabled" + row));
  s.error = st.OptionalText(5);
  s.target_url = st.Text(6);
  s.version = st.Text(7);
  PN_ASSIGN_OR_RETURN(s.extensions, ReadJsonColumn(st.OptionalText(8), "extensions" + row));
  PN_ASSIGN_OR_RETURN(s.auth, ReadJsonColumn(st.OptionalText(9), "auth" + row));
  PN_ASSIGN_OR_RETURN(s.created, ReadTime(st.Text(10), "created" + row));
  PN_ASSIGN_OR_RETURN(s.updated, ReadTime(st.Text(11), "updated" + row));
  PN_ASSIGN_OR_RETURN(s.deleted, ReadOptionalTime(st, 12, "deleted" + row));
  return s;
}

Result<StoredEvent> ReadEvent(const Statement& st) {
  StoredEvent e;
  PN_ASSIGN_OR_RETURN(e.uuid, ReadUuid(st.Text(0), "eventlog.uuid"));
  e.jsondata = st.Text(1);
  PN_ASSIGN_OR_RETURN(e.created, ReadTime(st.Text(2), "created of eventlog " + e.uuid));
  return e;
}

Result<Delivery> ReadDelivery(const Statement& st) {
  Delivery d;
  PN_ASSIGN_OR_RETURN(d.uuid, ReadUuid(st.Text(0), "eventlogmatch.uuid"));
  const std::string row = " of eventlogmatch " + d.uuid;
  PN_ASSIGN_OR_RETURN(d.event_uuid, ReadUuid(st.Text(1), "event_log_id" + row));
  PN_ASSIGN_OR_RETURN(d.subscription_uuid, ReadUuid(st.Text(2), "event_match_id" + row));
  const std::string state = st.Text(3);
  auto parsed = ParseDeliveryState(state);
  if (!parsed) return InternalError("stored state" + row + ": unknown state '" + state + "'");
  d.state = *parsed;
  d.attempts = static_cast<int>(st.Int(4));
  d.policy_status_code = st.Text(6);
  d.policy_resp_body = st.Text(7);
  d.target_status_code = st.Text(8);
  d.target_resp_body = st.Text(9);
  PN_ASSIGN_OR_RETURN(d.created, ReadTime(st.Text(10), "created" + row));
  // Rows migrated from 3.0 carry these; NULL is read as "since creation".
  d.next_attempt_at = d.created;
  d.updated = d.created;
  if (!st.IsNull(5)) {
    PN_ASSIGN_OR_RETURN(d.next_attempt_at, ReadTime(st.Text(5), "next_attempt_at" + row));
  }
  if (!st.IsNull(11)) {
    PN_ASSIGN_OR_RETURN(d.updated, ReadTime(st.Text(11), "updated" + row));
  }
  d.lease_owner = st.Text(12);
  PN_ASSIGN_OR_RETURN(d.lease_expires, ReadOptionalTime(st, 13, "lease_expires" + row));
  return d;
}

Result<DeliveryAttempt> ReadAttempt(const Statement& st) {
  DeliveryAttempt a;
  PN_ASSIGN_OR_RETURN(a.delivery_uuid, ReadUuid(st.Text(0), "deliveryattempt.delivery_id"));
  a.number = static_cast<int>(st.Int(1));
  PN_ASSIGN_OR_RETURN(a.started, ReadTime(st.Text(2), "started of a deliveryattempt"));
  a.duration = Duration(st.Int(3));
  if (auto p = st.OptionalInt(4)) a.policy_status = static_cast<int>(*p);
  a.policy_body = st.Text(5);
  if (auto t = st.OptionalInt(6)) a.target_status = static_cast<int>(*t);
  a.target_body = st.Text(7);
  a.error = st.Text(8);
  return a;
}

}  // namespace pn::sqlite
