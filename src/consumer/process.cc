#include "consumer/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

extern char** environ;

namespace pn::consumer {
namespace {

using SteadyClock = std::chrono::steady_clock;

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

void Append(int fd, std::string* sink, size_t limit, bool* open) {
  char buffer[16384];
  ssize_t n = read(fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    *open = false;
    return;
  }
  size_t keep = sink->size() < limit ? std::min(limit - sink->size(), size_t(n)) : 0;
  sink->append(buffer, keep);
}

int MillisUntil(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 1 << 30));
}

}  // namespace

CancelSignal::CancelSignal() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
CancelSignal::~CancelSignal() {
  if (fd_ >= 0) close(fd_);
}
void CancelSignal::Cancel() {
  if (cancelled_.exchange(true)) return;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
}

std::string ProcessResult::Describe() const {
  if (cancelled) return "cancelled";
  if (timed_out) return "timed out";
  if (term_signal != 0) return "killed by signal " + std::to_string(term_signal);
  return "exit status " + std::to_string(exit_code);
}

std::vector<std::string> EnvironmentWith(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::map<std::string, std::string> merged;
  std::vector<std::string> order;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(0, eq);
    if (!merged.count(name)) order.push_back(name);
    merged[name] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : overrides) {
    if (!merged.count(name)) order.push_back(name);
    merged[name] = value;
  }
  std::vector<std::string> out;
  out.reserve(order.size());
  for (const auto& name : order) out.push_back(name + "=" + merged[name]);
  return out;
}

std::string Tail(const std::string& text, size_t max_bytes) {
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  if (trimmed.size() <= max_bytes) return trimmed;
  return "..." + trimmed.substr(trimmed.size() - max_bytes);
}

Result<ProcessResult> RunProcess(const ProcessSpec& spec, const CancelSignal* cancel) {
  if (spec.argv.empty()) return InvalidArgumentError("RunProcess: empty argv");
  int out_pipe[2], err_pipe[2], exec_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return UnavailableError("pipe: " + std::string(strerror(errno)));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]), close(out_pipe[1]);
    return UnavailableError("pipe: " + std::string(strerror(errno)));
  }
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]), close(out_pipe[1]), close(err_pipe[0]), close(err_pipe[1]);
    return UnavailableError("pipe: " + std::string(strerror(errno)));
  }
  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], exec_pipe[0], exec_pipe[1]})
      close(fd);
    return UnavailableError("fork: " + std::string(strerror(saved)));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int err = 0;
    if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) {
      err = errno;
    } else {
      execvpe(argv[0], argv.data(), envp.data());
      err = errno;
    }
    [[maybe_unused]] ssize_t n = write(exec_pipe[1], &err, sizeof err);
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so a kill right after fork reaches the group
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(exec_pipe[1]);

  int exec_errno = 0;
  ssize_t got = read(exec_pipe[0], &exec_errno, sizeof exec_errno);
  close(exec_pipe[0]);
  ProcessResult result;
  if (got == sizeof exec_errno) {
    waitpid(pid, nullptr, 0);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::string what = spec.cwd.empty() || exec_errno != ENOENT
                           ? std::string(strerror(exec_errno))
                           : std::string(strerror(exec_errno)) + " (program or directory " +
                                 spec.cwd + ")";
    return UnavailableError("cannot run " + spec.argv[0] + ": " + what);
  }

  int out_fd = out_pipe[0], err_fd = err_pipe[0];
  bool out_open = true, err_open = true;
  auto start = SteadyClock::now();
  std::optional<SteadyClock::time_point> deadline;
  if (spec.timeout) deadline = start + *spec.timeout;
  std::optional<SteadyClock::time_point> kill_at;  // set once SIGTERM was sent
  bool killed = false;

  auto terminate = [&](bool is_timeout) {
    if (kill_at) return;
    if (is_timeout) result.timed_out = true; else result.cancelled = true;
    kill(-pid, SIGTERM);
    kill_at = SteadyClock::now() + spec.kill_grace;
  };

  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0;
    int out_idx = -1, err_idx = -1, cancel_idx = -1;
    if (out_open) fds[out_idx = n++] = {out_fd, POLLIN, 0};
    if (err_open) fds[err_idx = n++] = {err_fd, POLLIN, 0};
    if (cancel != nullptr && !kill_at) fds[cancel_idx = n++] = {cancel->fd(), POLLIN, 0};
    int wait_ms = -1;
    if (kill_at) wait_ms = MillisUntil(*kill_at);
    else if (deadline) wait_ms = MillisUntil(*deadline);
    int ready = poll(fds, n, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (out_idx >= 0 && fds[out_idx].revents) Append(out_fd, &result.out, spec.output_limit, &out_open);
    if (err_idx >= 0 && fds[err_idx].revents) Append(err_fd, &result.err, spec.output_limit, &err_open);
    if (cancel_idx >= 0 && fds[cancel_idx].revents) terminate(false);
    if (cancel != nullptr && cancel->cancelled()) terminate(false);
    auto now = SteadyClock::now();
    if (!kill_at && deadline && now >= *deadline) terminate(true);
    if (kill_at && !killed && now >= *kill_at) {
      kill(-pid, SIGKILL);
      killed = true;
    }
    if (killed && ready == 0) break;  // a grandchild holds the pipes open; stop reading
  }
  CloseFd(out_fd);
  CloseFd(err_fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (kill_at) kill(-pid, SIGKILL);  // leftovers of a stopped group
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

}  // namespace pn::consumer
