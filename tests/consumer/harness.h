// End-to-end test harness: child processes whose stdout is read line by line (the fakes print
// "port=N", the runner prints "ready port=N ..."), a tiny libcurl client, and condition waits
// with deadlines.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pn::consumer::testing {

class BackgroundProcess {
 public:
  // stderr goes to `stderr_path` (read it for diagnostics).
  BackgroundProcess(std::vector<std::string> argv, std::string stderr_path,
                    std::vector<std::string> extra_env = {});
  ~BackgroundProcess();  // SIGKILL to the process group when still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // The first stdout line starting with `prefix`, or nullopt at the deadline / EOF.
  std::optional<std::string> WaitForLine(const std::string& prefix,
                                         std::chrono::milliseconds within);
  void Signal(int sig);
  // Exit status, or nullopt when still running at the deadline.
  std::optional<int> WaitForExit(std::chrono::milliseconds within);
  std::string Stderr() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  std::string stderr_path_;
  std::optional<int> status_;
};

struct HttpReply {
  long status = 0;  // 0 when the request failed
  std::string body;
};
HttpReply HttpCall(const std::string& method, const std::string& url, const std::string& body = "");

// Re-evaluates `condition` until it holds or `within` passes; true when it held.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds within);

}  // namespace pn::consumer::testing
