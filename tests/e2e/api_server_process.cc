#include "api_server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

namespace pn::e2e {

ServerProcess::ServerProcess() {
  char pattern[] = "/tmp/pn-e2e-api-XXXXXX";
  dir_ = ::mkdtemp(pattern);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (reader_.joinable()) reader_.join();
  if (out_fd_ >= 0) ::close(out_fd_);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool ServerProcess::Start(std::vector<std::string> args, std::map<std::string, std::string> env,
                          bool raw_args) {
  std::string binary = std::string(PN_BINARY_DIR) + "/pacifica-notifications";
  std::vector<std::string> argv{binary};
  argv.insert(argv.end(), args.begin(), args.end());
  if (!raw_args) argv.insert(argv.end(), {"-a", "127.0.0.1", "-p", "0"});
  std::map<std::string, std::string> environment{{"POLICY_URL", ""},
                                                 {"PEEWEE_URL", database_url()},
                                                 {"HOME", dir_},
                                                 {"PATH", "/usr/bin:/bin"}};
  for (auto& [k, v] : env) environment[k] = v;

  if (out_fd_ >= 0) ::close(out_fd_);
  {
    std::lock_guard lock(mu_);
    output_.clear();  // a restart must not find the previous run's port
    eof_ = false;
    port_ = 0;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::chdir(dir_.c_str());
    std::vector<std::string> env_strings;
    for (auto& [k, v] : environment) env_strings.push_back(k + "=" + v);
    std::vector<char*> cargv, cenv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    for (auto& e : env_strings) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    ::execve(binary.c_str(), cargv.data(), cenv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  out_fd_ = fds[0];
  reader_ = std::thread([this] { Drain(); });

  static const std::regex kListening(R"(listening on http://[0-9.]+:([0-9]+))");
  std::unique_lock lock(mu_);
  bool found = cv_.wait_for(lock, std::chrono::seconds(30), [&] {
    std::smatch m;
    if (!std::regex_search(output_, m, kListening)) return eof_;
    port_ = std::stoi(m[1]);
    return true;
  });
  return found && port_ != 0;
}

void ServerProcess::Drain() {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) break;
    std::lock_guard lock(mu_);
    output_.append(buf, static_cast<size_t>(n));
    cv_.notify_all();
  }
  std::lock_guard lock(mu_);
  eof_ = true;
  cv_.notify_all();
}

int ServerProcess::WaitForExit(std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  {
    // The child's end of the pipe closes when it exits.
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return eof_; })) return -1;
  }
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

int ServerProcess::Terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return WaitForExit();
}

std::string ServerProcess::output() const {
  std::lock_guard lock(mu_);
  return output_;
}

}  // namespace pn::e2e
