#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/sqlite_database.h"
#include "store/sqlite/sqlite_schema.h"
#include "store/sqlite/sqlite_stores.h"

namespace pn {
namespace {

using sqlite::SqliteConnection;
using sqlite::SqliteDatabase;

class SqliteSchemaManager final : public SchemaManager {
 public:
  explicit SqliteSchemaManager(SqliteDatabase& db) : db_(db) {}
  Result<SchemaVersion> Version() override {
    return db_.WithWriter([](SqliteConnection& c) { return sqlite::ReadSchemaVersion(c); });
  }
  Result<bool> IsEmpty() override {
    return db_.WithWriter([](SqliteConnection& c) { return sqlite::SchemaIsEmpty(c); });
  }
  Status Sync() override {
    return db_.WithWriter([](SqliteConnection& c) { return sqlite::SyncSchema(c); });
  }

 private:
  SqliteDatabase& db_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<SqliteDatabase> db)
      : db_(std::move(db)),
        subscriptions_(*db_),
        events_(*db_),
        deliveries_(*db_),
        schema_(*db_) {}

  SubscriptionStore& subscriptions() override { return subscriptions_; }
  EventStore& events() override { return events_; }
  DeliveryStore& deliveries() override { return deliveries_; }
  SchemaManager& schema() override { return schema_; }
  Status Ping() override {
    return db_->Read([](SqliteConnection& c) { return c.Exec("SELECT 1"); });
  }

 private:
  std::unique_ptr<SqliteDatabase> db_;
  sqlite::SqliteSubscriptionStore subscriptions_;
  sqlite::SqliteEventStore events_;
  sqlite::SqliteDeliveryStore deliveries_;
  SqliteSchemaManager schema_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  PN_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDatabase> db, SqliteDatabase::Open(path, options));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db)));
}

}  // namespace pn
