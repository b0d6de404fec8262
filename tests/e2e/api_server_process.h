// Runs the built `pacifica-notifications` binary as a child process for black-box tests: a
// private temp directory (HOME, SQLite file), port 0, and the bound port read from its log.
// Thread-safety: one instance per test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pn::e2e {

class ServerProcess {
 public:
  // A fresh temp directory; the database is <dir>/notifications.db.
  ServerProcess();
  ~ServerProcess();  // kills the child when still running, removes the directory

  const std::string& dir() const { return dir_; }
  std::string database_url() const { return "sqlite:///" + dir_ + "/notifications.db"; }

  // Starts the binary with `args` (plus -a 127.0.0.1 -p 0 unless `raw_args`) and env
  // POLICY_URL="" PEEWEE_URL=<database_url()> HOME=<dir> plus `env`. Returns true once it logs
  // that it listens (port() is then set), false when it exits or 30 s pass first.
  bool Start(std::vector<std::string> args = {}, std::map<std::string, std::string> env = {},
             bool raw_args = false);
  // SIGTERM and wait; the exit code (or -signal).
  int Terminate();
  // Waits for a child that exits by itself; the exit code (or -1 on timeout).
  int WaitForExit(std::chrono::seconds timeout = std::chrono::seconds(30));

  int port() const { return port_; }
  // Everything the child wrote to stderr and stdout since the last Start().
  std::string output() const;

 private:
  void Drain();

  std::string dir_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  std::thread reader_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string output_;
  bool eof_ = false;
};

}  // namespace pn::e2e
