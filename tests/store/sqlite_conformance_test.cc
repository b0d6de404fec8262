// The storage conformance suite on SQLite: a database file (WAL, read pool) and an in-memory one.
#include "store/sqlite/sqlite_store.h"
#include "store/testing/store_conformance.h"
#include "tests/store/sqlite_test_util.h"

namespace pn::testing {
namespace {

PN_INSTANTIATE_STORE_CONFORMANCE(
    Sqlite, ::testing::Values(StoreBackend{"File", [] { return OpenSqliteStore(NewDatabasePath()); }},
                              StoreBackend{"Memory", [] { return OpenSqliteStore(":memory:"); }}));

}  // namespace
}  // namespace pn::testing
