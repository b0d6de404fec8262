// Hears subscription changes made by any process: a dedicated connection LISTENs on
// kChangeChannel, where the eventmatch trigger NOTIFYs the new change counter at commit.
// Started on first use (command-line tools never open it). After a lost connection it
// reconnects every `reconnect_wait`, and on each (re)connection reads the counter, so
// changes made while it was away are not missed.
// Thread-safety: WaitForChange may be called from any thread; one background thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "store/postgres/pg_connection.h"

namespace pn::pg {

class ChangeListener {
 public:
  ChangeListener(ConnectParams params, Duration reconnect_wait);
  ~ChangeListener();  // stops and joins the thread
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  // OK once a counter above `seen` has been heard; DeadlineExceeded after `timeout`.
  Status WaitForChange(int64_t seen, Duration timeout);

 private:
  void StartOnce();
  void Loop();
  // Listens on one connection until it fails or Stop; returns why it ended.
  Status ListenOn(PgConnection& conn);
  void Heard(int64_t counter);

  const ConnectParams params_;
  const Duration reconnect_wait_;
  std::mutex mu_;
  std::condition_variable changed_;
  int64_t latest_ = -1;  // guarded by mu_
  bool started_ = false;  // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  int wake_pipe_[2] = {-1, -1};  // written to interrupt poll() when stopping
  std::thread thread_;
};

}  // namespace pn::pg
