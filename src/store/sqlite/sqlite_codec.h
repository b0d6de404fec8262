// How model values are laid out in SQLite rows, compatible with what the Python original wrote:
// uuids as 32 hex digits (any stored form read back canonical), times as
// "YYYY-MM-DD HH:MM:SS[.ffffff]" text (UTC; the fraction omitted when zero, as peewee did),
// JSON columns as Python-json text with NULL read as {}.
// Thread-safety: pure functions (row readers read the statement given).
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "json/json.h"
#include "model/delivery.h"
#include "model/event.h"
#include "model/subscription.h"
#include "store/sqlite/sqlite_connection.h"

namespace pn::sqlite {

// The two stored forms a lookup must try: {hex (ours and the original's), canonical}.
struct UuidKeys {
  std::string hex;
  std::string canonical;
};
// InvalidArgument when `uuid` is not a uuid.
Result<UuidKeys> KeysFor(std::string_view uuid);

std::string StoredTime(Timestamp t);
Result<Timestamp> ReadTime(std::string_view stored, std::string_view what);
Result<std::string> ReadUuid(std::string_view stored, std::string_view what);
Result<Json> ReadJsonColumn(const std::optional<std::string>& stored, std::string_view what);

// Column lists (macros, so queries stay string literals the statement cache can key on) and
// row readers, which expect the columns in these orders.
#define PN_SQLITE_SUBSCRIPTION_COLUMNS                                                             \
  "\"uuid\", \"name\", \"jsonpath\", \"user\", \"disabled\", \"error\", \"target_url\", "           \
  "\"version\", \"extensions\", \"auth\", \"created\", \"updated\", \"deleted\""
Result<Subscription> ReadSubscription(const Statement& st);

#define PN_SQLITE_EVENT_COLUMNS "\"uuid\", \"jsondata\", \"created\""
Result<StoredEvent> ReadEvent(const Statement& st);

#define PN_SQLITE_DELIVERY_COLUMNS                                                              \
  "\"uuid\", \"event_log_id\", \"event_match_id\", \"state\", \"attempts\", "                     \
  "\"next_attempt_at\", \"policy_status_code\", \"policy_resp_body\", \"target_status_code\", " \
  "\"target_resp_body\", \"created\", \"updated\", \"lease_owner\", \"lease_expires\""
Result<Delivery> ReadDelivery(const Statement& st);

#define PN_SQLITE_ATTEMPT_COLUMNS                                                          \
  "\"delivery_id\", \"number\", \"started\", \"duration_us\", \"policy_status\", "          \
  "\"policy_body\", \"target_status\", \"target_body\", \"error\""
Result<DeliveryAttempt> ReadAttempt(const Statement& st);

}  // namespace pn::sqlite
