#include "store/postgres/pg_codec.h"
#include "store/postgres/pg_stores.h"

namespace pn::pg {
namespace {

// Parameters $2..$13 in PN_PG_SUBSCRIPTION_COLUMNS order, after the uuid ($1).
std::vector<Param> SubscriptionParams(const std::string& key, const Subscription& s) {
  return {key,
          s.name,
          s.jsonpath,
          s.user,
          TimeParam(s.disabled),
          s.error,
          s.target_url,
          s.version,
          DumpPython(s.extensions),
          DumpPython(s.auth),
          TimeParam(s.created),
          TimeParam(s.updated),
          TimeParam(s.deleted)};
}

}  // namespace

Status PgSubscriptionStore::Insert(const Subscription& s) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(s.uuid));
  Status st = pool_.Run([&](PgConnection& conn) -> Status {
    return conn
        .Query("INSERT INTO \"eventmatch\" (" PN_PG_SUBSCRIPTION_COLUMNS
               ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
               SubscriptionParams(key, s))
        .status();
  });
  if (st.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("subscription " + key + " already exists");
  }
  return st;
}

Result<std::optional<Subscription>> PgSubscriptionStore::Find(std::string_view uuid) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(uuid));
  return pool_.Run([&](PgConnection& conn) -> Result<std::optional<Subscription>> {
    PN_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT " PN_PG_SUBSCRIPTION_COLUMNS
                                                 " FROM \"eventmatch\" WHERE \"uuid\" = $1",
                                                 {key}));
    return FirstRow(res, &ReadSubscription);
  });
}

Result<std::vector<Subscription>> PgSubscriptionStore::ListForUser(std::string_view user) {
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<Subscription>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("SELECT " PN_PG_SUBSCRIPTION_COLUMNS
                                   " FROM \"eventmatch\" WHERE \"user\" = $1 AND "
                                   "\"deleted\" IS NULL ORDER BY \"seq\"",
                                   {std::string(user)}));
    return AllRows(res, &ReadSubscription);
  });
}

Result<std::vector<Subscription>> PgSubscriptionStore::ListActive() {
  return pool_.Run([&](PgConnection& conn) -> Result<std::vector<Subscription>> {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("SELECT " PN_PG_SUBSCRIPTION_COLUMNS
                                   " FROM \"eventmatch\" WHERE \"disabled\" IS NULL AND "
                                   "\"deleted\" IS NULL ORDER BY \"seq\""));
    return AllRows(res, &ReadSubscription);
  });
}

Status PgSubscriptionStore::Update(const Subscription& s) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(s.uuid));
  return pool_.Run([&](PgConnection& conn) -> Status {
    PN_ASSIGN_OR_RETURN(
        PgResult res,
        conn.Query("UPDATE \"eventmatch\" SET \"name\" = $2, \"jsonpath\" = $3, \"user\" = $4, "
                   "\"disabled\" = $5, \"error\" = $6, \"target_url\" = $7, \"version\" = $8, "
                   "\"extensions\" = $9, \"auth\" = $10, \"created\" = $11, \"updated\" = $12, "
                   "\"deleted\" = $13 WHERE \"uuid\" = $1",
                   SubscriptionParams(key, s)));
    if (res.AffectedRows() == 0) return NotFoundError("no subscription " + key);
    return OkStatus();
  });
}

Status PgSubscriptionStore::Disable(std::string_view uuid, Timestamp when,
                                    std::string_view error) {
  PN_ASSIGN_OR_RETURN(std::string key, KeyFor(uuid));
  return pool_.Run([&](PgConnection& conn) -> Status {
    PN_ASSIGN_OR_RETURN(PgResult res,
                        conn.Query("UPDATE \"eventmatch\" SET \"disabled\" = $2, \"error\" = $3 "
                                   "WHERE \"uuid\" = $1 AND \"disabled\" IS NULL AND "
                                   "\"deleted\" IS NULL",
                                   {key, TimeParam(when), std::string(error)}));
    if (res.AffectedRows() > 0) return OkStatus();
    // Nothing changed: already disabled or deleted (fine), or no such row.
    PN_ASSIGN_OR_RETURN(PgResult exists,
                        conn.Query("SELECT 1 FROM \"eventmatch\" WHERE \"uuid\" = $1", {key}));
    if (exists.rows() == 0) return NotFoundError("no subscription " + key);
    return OkStatus();
  });
}

Result<int64_t> PgSubscriptionStore::CountDisabled() {
  return pool_.Run([&](PgConnection& conn) -> Result<int64_t> {
    // The eventmatch_disabled index finds the disabled rows without a full scan.
    PN_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT count(*) FROM \"eventmatch\" WHERE "
                                                 "\"disabled\" IS NOT NULL AND \"deleted\" IS NULL"));
    return res.Int(0, 0);
  });
}

Result<int64_t> PgSubscriptionStore::ChangeVersion() {
  return pool_.Run([&](PgConnection& conn) -> Result<int64_t> {
    PN_ASSIGN_OR_RETURN(PgResult res, conn.Query("SELECT \"counter\" FROM \"eventmatchchange\" "
                                                 "WHERE \"id\" = 1"));
    if (res.rows() == 0) {
      return InternalError("the eventmatchchange table has no row; run dbsync");
    }
    return res.Int(0, 0);
  });
}

Status PgSubscriptionStore::WaitForChange(int64_t seen_version, Duration timeout) {
  return listener_.WaitForChange(seen_version, timeout);
}

}  // namespace pn::pg
