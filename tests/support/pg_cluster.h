// A throwaway PostgreSQL cluster for tests: initdb (once per machine and PostgreSQL version,
// kept as a template under the temp dir and copied per cluster), then the server started
// directly on a free loopback port with its unix socket in the cluster's own temp dir, and
// stopped by PID. When the tests run as root the server runs as the `postgres` OS user (the
// server refuses root). The server gets SIGQUIT if the thread that started it dies, so a
// crashed test leaves no server behind; start clusters from the test's main thread.
// Thread-safety: one thread drives a cluster; CreateDatabase may be called from any thread.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace pn::testing {

class PgCluster {
 public:
  // Starts a new cluster. FailedPrecondition naming what is missing when PostgreSQL's server
  // programs are not installed (scripts/deps.sh installs them).
  static Result<std::unique_ptr<PgCluster>> Start();
  // One cluster per test process, started on first use and stopped at exit.
  static Result<PgCluster*> Shared();

  ~PgCluster();  // stops the server and removes its files
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A new, empty database; returns its name.
  Result<std::string> CreateDatabase();
  // libpq keywords for `dbname` (superuser `postgres`, trust authentication, TCP loopback).
  std::vector<std::pair<std::string, std::string>> ConnectParams(const std::string& dbname) const;
  // postgres://postgres@127.0.0.1:PORT/DBNAME, what a peewee_url names.
  std::string Url(const std::string& dbname) const;
  // Runs SQL as the superuser on `dbname` (raw setup, the way another program would).
  Status Exec(const std::string& dbname, const std::string& sql);

  // Fast shutdown by PID (sessions are terminated), waiting for the server to exit.
  Status Stop();
  // Starts the server again on the same data directory and port.
  Status Restart();
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  PgCluster() = default;
  Status StartServer();

  std::string bindir_;
  std::string dir_;       // temp dir: data/, the socket, server.log
  int port_ = 0;
  pid_t pid_ = -1;
  std::mutex mu_;
  int next_database_ = 0;  // guarded by mu_
};

}  // namespace pn::testing
