// Opening PostgreSQL stores on the test process's throwaway cluster (tests/support/pg_cluster).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/postgres/postgres_store.h"
#include "tests/support/pg_cluster.h"

namespace pn::testing {

inline PostgresOptions OptionsFor(const PgCluster& cluster, const std::string& dbname) {
  PostgresOptions options;
  options.connect_params = cluster.ConnectParams(dbname);
  options.connect_attempts = 1;
  options.listener_reconnect_wait = std::chrono::milliseconds(50);
  return options;
}

// A store on a new, empty database of the shared cluster.
inline Result<std::unique_ptr<Store>> OpenFreshPostgresStore() {
  PN_ASSIGN_OR_RETURN(PgCluster * cluster, PgCluster::Shared());
  PN_ASSIGN_OR_RETURN(std::string db, cluster->CreateDatabase());
  return OpenPostgresStore(OptionsFor(*cluster, db));
}

}  // namespace pn::testing
