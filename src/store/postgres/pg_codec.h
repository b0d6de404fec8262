// How model values travel to and from PostgreSQL rows: uuids as native UUID (any accepted
// spelling in, canonical out), times as TIMESTAMP in UTC exchanged as ISO text, JSON columns
// as Python-json text with NULL read as {} (rows older than schema 2.0).
// Thread-safety: pure functions (row readers read the result given).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "json/json.h"
#include "model/delivery.h"
#include "model/event.h"
#include "model/subscription.h"
#include "store/postgres/pg_connection.h"

namespace pn::pg {

// Canonical form of a uuid given by a caller; InvalidArgument when it is not one.
Result<std::string> KeyFor(std::string_view uuid);

Param TimeParam(Timestamp t);
Param TimeParam(const std::optional<Timestamp>& t);
Result<Timestamp> ReadTime(const PgResult& res, int row, int column, std::string_view what);
Result<std::optional<Timestamp>> ReadOptionalTime(const PgResult& res, int row, int column,
                                                  std::string_view what);

// Column lists (macros, so queries stay literals the statement cache keys on) and row readers,
// which expect the columns in these orders starting at column 0.
#define PN_PG_SUBSCRIPTION_COLUMNS                                                              \
  "\"uuid\", \"name\", \"jsonpath\", \"user\", \"disabled\", \"error\", \"target_url\", "       \
  "\"version\", \"extensions\", \"auth\", \"created\", \"updated\", \"deleted\""
Result<Subscription> ReadSubscription(const PgResult& res, int row);

#define PN_PG_EVENT_COLUMNS "\"uuid\", \"jsondata\", \"created\""
Result<StoredEvent> ReadEvent(const PgResult& res, int row);

#define PN_PG_DELIVERY_COLUMNS                                                                  \
  "\"uuid\", \"event_log_id\", \"event_match_id\", \"state\", \"attempts\", "                   \
  "\"next_attempt_at\", \"policy_status_code\", \"policy_resp_body\", \"target_status_code\", " \
  "\"target_resp_body\", \"created\", \"updated\", \"lease_owner\", \"lease_expires\""
Result<Delivery> ReadDelivery(const PgResult& res, int row);

#define PN_PG_ATTEMPT_COLUMNS                                                          \
  "\"delivery_id\", \"number\", \"started\", \"duration_us\", \"policy_status\", "      \
  "\"policy_body\", \"target_status\", \"target_body\", \"error\""
Result<DeliveryAttempt> ReadAttempt(const PgResult& res, int row);

// Every row of `res` read with `read`.
template <typename T>
Result<std::vector<T>> AllRows(const PgResult& res, Result<T> (*read)(const PgResult&, int)) {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(res.rows()));
  for (int r = 0; r < res.rows(); ++r) {
    PN_ASSIGN_OR_RETURN(T value, read(res, r));
    out.push_back(std::move(value));
  }
  return out;
}

template <typename T>
Result<std::optional<T>> FirstRow(const PgResult& res, Result<T> (*read)(const PgResult&, int)) {
  if (res.rows() == 0) return std::optional<T>();
  PN_ASSIGN_OR_RETURN(T value, read(res, 0));
  return std::optional<T>(std::move(value));
}

}  // namespace pn::pg
