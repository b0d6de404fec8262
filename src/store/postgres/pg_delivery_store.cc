#include <algorithm>
#include <utility>

#include "store/postgres/pg_codec.h"
#include "store/postgres/pg_stores.h"

namespace pn::pg {
namespace {

// Picks due rows nobody holds, locking them so concurrent claimers (threads or processes)
// skip them rather than wait, and leases them in the same statement. Rows leased by a
// transaction that committed meanwhile are re-checked against the WHERE clause after
// locking, so a lease is never taken twice.
constexpr const char* kClaimDue =
    "WITH due AS (SELECT \"uuid\" FROM \"eventlogmatch\" WHERE \"state\" = 'pending' AND "
    "\"next_attempt_at\" <= $1 AND (\"lease_expires\" IS NULL OR \"lease_expires\" <= $1) "
    "AND NOT (\"event_match_id\" = ANY($5::uuid[])) "
    "ORDER BY \"next_attempt_at\", \"seq\" LIMIT $2 FOR UPDATE SKIP LOCKED) "
    "UPDATE \"eventlogmatch\" AS e SET \"lease_owner\" = $3, \"lease_expires\" = $4 FROM due "
    "WHERE e.\"uuid\" = due.\"uuid\" RETURNING e.\"uuid\", e.\"event_log_id\", "
    "e.\"event_match_id\", e.\"state\", e.\"attempts\", e.\"next_attempt_at\", "
    "e.\"policy_status_code\", e.\"policy_resp_body\", e.\"target_status_code\", "
    "e.\"target_resp_body\", e.\"created\", e.\"updated\", e.\"lease_owner\", "
    "e.\"lease_expires\", e.\"seq\"";

}  // namespace

Result<std::vector<Delivery>> PgDeliveryStore::ClaimDue(Timestamp now, int limit,
                                                        std::string_view owner,
                                                        Timestamp lease_until) {
  return ClaimDueSkipping(now, limit, owner, lease_until, {});
}

Result<std::vector<Delivery>> PgDeliveryStore::ClaimDueSkipping(
    Timestamp now, int limit, std::string_view owner, Timestamp lease_until,
    std::span<const std::string> skip_subscriptions) {
  if (limit <= 0) return std::vector<Delivery>();
  std::vector<Param> skip;
  skip.reserve(skip_subscriptions.size());
  for (const std::string& uuid : skip_subscriptions) {
    PN_ASSIGN_OR_RETURN(std::string key, KeyFor(uuid));
    skip.push_back(std::move(key));
  }
  const std::string skip_array = ArrayLiteral(skip);
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<Delivery>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query(kClaimDue, {TimeParam(now), std::to_string(limit),
                                               std::string(owner), TimeParam(lease_until),
                                               skip_array}));
    // RETURNING has no order: restore the claim order (oldest due first, then insertion).
    std::vector<std::pair<int64_t, Delivery>> rows;
    for (int r = 0; r < res.rows(); ++r) {
      PN_ASSIGN_OR_RETURN(Delivery d, ReadDelivery(res, r));
      rows.emplace_back(res.Int(r, 14), std::move(d));
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return std::tie(a.second.next_attempt_at, a.first) <
             std::tie(b.second.next_attempt_at, b.first);
    });
    std::vector<Delivery> out;
    out.reserve(rows.size());
    for (auto& row : rows) out.push_back(std::move(row.second));
    return out;
  });
}

Result<std::optional<Timestamp>> PgDeliveryStore::NextDueAt() {
  return pool_.Run([&](PgConnection& conn) -> Result<std::optional<Timestamp>> {
    PN_ASSIGN_OR_RETURN(
        PgResult res,
        conn.Query("SELECT min(GREATEST(\"next_attempt_at\", coalesce(\"lease_expires\", "
                   "\"next_attempt_at\"))) FROM \"eventlogmatch\" WHERE \"state\" = 'pending'"));
    if (res.rows() == 0) return std::optional<Timestamp>();
    return ReadOptionalTime(res, 0, 0, "next_attempt_at");
  });
}

namespace {

// RecordAttempt's rows, inside the caller's transaction.
Status RecordIn(PgConnection& conn, const AttemptWrite& item) {
  const Delivery& delivery = item.delivery;
  const DeliveryAttempt& attempt = item.attempt;
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(delivery.uuid));
  auto optional_int = [](const std::optional<int>& v) -> Param {
    return v ? Param(std::to_string(*v)) : Param();
  };
  PN_ASSIGN_OR_RETURN(
      PgResult updated,
      conn.Query("UPDATE \"eventlogmatch\" SET \"state\" = $2, \"attempts\" = $3, "
                 "\"next_attempt_at\" = $4, \"policy_status_code\" = $5, "
                 "\"policy_resp_body\" = $6, \"target_status_code\" = $7, "
                 "\"target_resp_body\" = $8, \"updated\" = $9, \"lease_owner\" = NULL, "
                 "\"lease_expires\" = NULL WHERE \"uuid\" = $1",
                 {key, std::string(DeliveryStateName(delivery.state)),
                  std::to_string(delivery.attempts), TimeParam(delivery.next_attempt_at),
                  delivery.policy_status_code, delivery.policy_resp_body,
                  delivery.target_status_code, delivery.target_resp_body,
                  TimeParam(delivery.updated)}));
  if (updated.AffectedRows() == 0) return NotFoundError("no delivery " + key);

  Result<PgResult> inserted = conn.Query(
      "INSERT INTO \"deliveryattempt\" (" PN_PG_ATTEMPT_COLUMNS
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {key, std::to_string(attempt.number), TimeParam(attempt.started),
       std::to_string(attempt.duration.count()), optional_int(attempt.policy_status),
       attempt.policy_body, optional_int(attempt.target_status), attempt.target_body,
       attempt.error});
  if (inserted.status().code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("attempt " + std::to_string(attempt.number) + " of delivery " + key +
                              " is already recorded");
  }
  PN_RETURN_IF_ERROR(inserted.status());

  if (item.disable_error) {
    PN_ASSIGN_OR_RETURN(std::string subscription, KeyFor(delivery.subscription_uuid));
    PN_RETURN_IF_ERROR(conn.Query("UPDATE \"eventmatch\" SET \"disabled\" = $2, \"error\" = $3 "
                                  "WHERE \"uuid\" = $1 AND \"disabled\" IS NULL AND "
                                  "\"deleted\" IS NULL",
                                  {subscription, TimeParam(delivery.updated), *item.disable_error})
                           .status());
  }
  return OkStatus();
}

// The worker's own writes (attempt records without a disable, lease releases) may be lost if
// the database server loses power: the delivery is then attempted again, which at-least-once
// allows (the SQLite store commits them with synchronous=NORMAL for the same reason). So they
// do not wait for the WAL flush; a disable is a subscription change and waits as usual.
constexpr const char* kRelaxedCommit = "SET LOCAL synchronous_commit TO OFF";

}  // namespace

Status PgDeliveryStore::RecordAttempt(const Delivery& delivery, const DeliveryAttempt& attempt,
                                      const std::optional<std::string>& disable_error) {
  AttemptWrite item{delivery, attempt, disable_error};
  return pool_.Transaction([&](PgConnection& conn) { return RecordIn(conn, item); });
}

std::vector<Status> PgDeliveryStore::RecordAttempts(std::span<const AttemptWrite> items) {
  bool disables = false;
  for (const AttemptWrite& item : items) disables = disables || item.disable_error.has_value();
  auto record = [&](std::span<const AttemptWrite> part, bool relaxed) {
    return pool_.Transaction([&](PgConnection& conn) -> Status {
      if (relaxed) PN_RETURN_IF_ERROR(conn.Exec(kRelaxedCommit));
      for (const AttemptWrite& item : part) PN_RETURN_IF_ERROR(RecordIn(conn, item));
      return OkStatus();
    });
  };
  if (items.empty()) return {};
  if (record(items, !disables).ok()) return std::vector<Status>(items.size(), OkStatus());
  // Some item failed (or the database did) and the batch was rolled back: item by item, so
  // each gets its own answer and the others are kept.
  std::vector<Status> out;
  out.reserve(items.size());
  for (const AttemptWrite& item : items) {
    out.push_back(record(std::span<const AttemptWrite>(&item, 1), !item.disable_error));
  }
  return out;
}

Status PgDeliveryStore::ReleaseLeases(std::span<const LeaseRelease> releases,
                                      std::string_view owner) {
  if (releases.empty()) return OkStatus();
  std::vector<Param> keys, times;
  for (const LeaseRelease& r : releases) {
    PN_ASSIGN_OR_RETURN(std::string key, KeyFor(r.delivery_uuid));
    keys.push_back(std::move(key));
    times.push_back(TimeParam(r.next_attempt_at));
  }
  return pool_.Transaction([&](PgConnection& conn) -> Status {
    PN_RETURN_IF_ERROR(conn.Exec(kRelaxedCommit));
    return conn
        .Query("UPDATE \"eventlogmatch\" AS e SET \"lease_owner\" = NULL, "
               "\"lease_expires\" = NULL, \"next_attempt_at\" = r.next FROM "
               "unnest($1::uuid[], $2::timestamp[]) AS r(id, next) "
               "WHERE e.\"uuid\" = r.id AND e.\"lease_owner\" = $3",
               {ArrayLiteral(keys), ArrayLiteral(times), std::string(owner)})
        .status();
  });
}

Status PgDeliveryStore::ReleaseLease(std::string_view delivery_uuid, std::string_view owner,
                                     Timestamp next_attempt_at) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(delivery_uuid));
  return pool_.Run([&](PgConnection& conn) -> Status {
    return conn
        .Query("UPDATE \"eventlogmatch\" SET \"lease_owner\" = NULL, \"lease_expires\" = NULL, "
               "\"next_attempt_at\" = $3 WHERE \"uuid\" = $1 AND \"lease_owner\" = $2",
               {key, std::string(owner), TimeParam(next_attempt_at)})
        .status();
  });
}

Result<std::optional<Delivery>> PgDeliveryStore::FindDelivery(std::string_view uuid) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(uuid));
  return pool_.Run([&](PgConnection& conn) -> Result<std::optional<Delivery>> {
    PN_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT " PN_PG_DELIVERY_COLUMNS
                                                 " FROM \"eventlogmatch\" WHERE \"uuid\" = $1",
                                                 {key}));
    return FirstRow(res, &ReadDelivery);
  });
}

Result<std::vector<DeliveryAttempt>> PgDeliveryStore::AttemptsFor(
    std::string_view delivery_uuid) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(delivery_uuid));
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<DeliveryAttempt>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("SELECT " PN_PG_ATTEMPT_COLUMNS
                                   " FROM \"deliveryattempt\" WHERE \"delivery_id\" = $1 "
                                   "ORDER BY \"number\"",
                                   {key}));
    return AllRows(res, &ReadAttempt);
  });
}

Result<std::vector<Delivery>> PgDeliveryStore::DeliveriesForSubscription(std::string_view uuid,
                                                                         int limit) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(uuid));
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<Delivery>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("SELECT " PN_PG_DELIVERY_COLUMNS
                                   " FROM \"eventlogmatch\" WHERE \"event_match_id\" = $1 "
                                   "ORDER BY \"created\" DESC, \"seq\" DESC LIMIT $2",
                                   {key, std::to_string(limit)}));
    return AllRows(res, &ReadDelivery);
  });
}

Result<int64_t> PgDeliveryStore::CountPending() {
  return pool_.Run([&](PgConnection& conn) -> Result<int64_t> {
    PN_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT count(*) FROM \"eventlogmatch\" "
                                                 "WHERE \"state\" = 'pending'"));
    return res.Int(0, 0);
  });
}

Result<PendingSummary> PgDeliveryStore::SummarizePending() {
  return pool_.Run([&](PgConnection& conn) -> Result<PendingSummary> {
    // The partial index eventlogmatch_pending_due bounds the scan to pending rows.
    PN_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT count(*), min(\"created\") FROM "
                                                 "\"eventlogmatch\" WHERE \"state\" = 'pending'"));
    PendingSummary out;
    if (res.rows() == 0) return out;
    out.count = res.Int(0, 0);
    PN_ASSIGN_OR_RETURN(out.oldest_created, ReadOptionalTime(res, 0, 1, "created"));
    return out;
  });
}

}  // namespace pn::pg
