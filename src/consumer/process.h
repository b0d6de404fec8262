// Runs one child process (venv creation, init.sh, pip, a consumer's __main__.py) with its output
// captured, an optional time limit and cancellation from another thread. The child leads its own
// process group so that stopping it also stops what it started (pip's builds, subprocesses).
// Thread-safety: RunProcess is reentrant; a CancelSignal may be triggered from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace pn::consumer {

// A one-shot, pollable "stop now" flag shared by the runner and the processes it waits on.
class CancelSignal {
 public:
  CancelSignal();
  ~CancelSignal();
  CancelSignal(const CancelSignal&) = delete;
  CancelSignal& operator=(const CancelSignal&) = delete;

  void Cancel();
  bool cancelled() const { return cancelled_.load(); }
  int fd() const { return fd_; }  // readable once cancelled (an eventfd)

 private:
  int fd_;
  std::atomic<bool> cancelled_{false};
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
  std::string cwd;                // empty: inherit
  std::vector<std::string> env;   // complete environment as NAME=VALUE
  std::optional<std::chrono::milliseconds> timeout;
  // After a timeout or cancellation the group gets SIGTERM, then SIGKILL after this long.
  std::chrono::milliseconds kill_grace{5000};
  size_t output_limit = 1 << 20;  // bytes kept per stream; the rest is counted and dropped
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int term_signal = 0;
  bool timed_out = false;
  bool cancelled = false;
  std::string out;
  std::string err;
  // "exit status 1", "killed by signal 9", "timed out after 30 s", "cancelled".
  std::string Describe() const;
  bool succeeded() const { return exit_code == 0 && !timed_out && !cancelled; }
};

// Unavailable when the program cannot be started (with the reason); otherwise the result, whatever
// the exit status.
Result<ProcessResult> RunProcess(const ProcessSpec& spec, const CancelSignal* cancel = nullptr);

// The current environment as NAME=VALUE with `overrides` replacing or adding entries.
std::vector<std::string> EnvironmentWith(
    const std::vector<std::pair<std::string, std::string>>& overrides);

// The last `max_bytes` of text (for error messages that quote a tool's output).
std::string Tail(const std::string& text, size_t max_bytes = 2000);

}  // namespace pn::consumer
