// Feedback for a long operation that cannot count its work (dbsync migrates in one
// transaction): on a terminal, "<label>... N s" is shown at once and refreshed every interval,
// then replaced by "<label>: done in N s" (or "failed after") when it finishes. Disabled (output
// not a terminal), it prints nothing, so scripts and logs stay quiet.
// Thread-safety: construct and Finish on one thread; the refresher runs on its own thread and
// is the only writer to `out` until Finish returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace pn::cli {

class ElapsedProgress {
 public:
  ElapsedProgress(std::ostream& out, bool enabled, std::string label,
                  std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~ElapsedProgress();  // Finish(true) when not finished
  ElapsedProgress(const ElapsedProgress&) = delete;
  ElapsedProgress& operator=(const ElapsedProgress&) = delete;

  // Stops the refresher and writes the final line. Idempotent.
  void Finish(bool ok);

 private:
  void Render(const char* suffix);

  std::ostream& out_;
  const bool enabled_;
  const std::string label_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  bool finished_ = false;
  std::thread refresher_;
};

}  // namespace pn::cli
