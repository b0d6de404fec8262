// The storage conformance suite on PostgreSQL: each test gets a new database on the test
// process's throwaway cluster.
#include "store/testing/store_conformance.h"
#include "tests/store/pg_test_util.h"

namespace pn::testing {
namespace {

PN_INSTANTIATE_STORE_CONFORMANCE(Postgres, ::testing::Values(StoreBackend{
                                               "Postgres", [] { return OpenFreshPostgresStore(); }}));

}  // namespace
}  // namespace pn::testing
