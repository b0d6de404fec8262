#include "tests/support/pg_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace pn::testing {
namespace {

namespace fs = std::filesystem;

// Who the server programs run as: ourselves, or `postgres` when we are root.
struct RunAs {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<RunAs> ServerUser() {
  RunAs who;
  if (::geteuid() != 0) return who;
  const passwd* pw = ::getpwnam("postgres");
  if (pw == nullptr) {
    return FailedPreconditionError(
        "tests run as root, and PostgreSQL refuses to run as root, but there is no `postgres` "
        "user to run it as (the Debian package `postgresql` creates it; or run the tests as an "
        "ordinary user)");
  }
  who.switch_user = true;
  who.uid = pw->pw_uid;
  who.gid = pw->pw_gid;
  return who;
}

// The newest installed server programs, or $PN_PG_BINDIR.
Result<std::string> FindBinDir() {
  if (const char* env = std::getenv("PN_PG_BINDIR"); env && *env) return std::string(env);
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
  }
  if (found.empty()) {
    return FailedPreconditionError(
        "PostgreSQL's server programs (initdb, postgres) are not installed under "
        "/usr/lib/postgresql/*/bin; run scripts/deps.sh (Debian package `postgresql`) or set "
        "PN_PG_BINDIR");
  }
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return std::atoi(fs::path(a).parent_path().filename().c_str()) <
           std::atoi(fs::path(b).parent_path().filename().c_str());
  });
  return found.back();
}

// Where clusters live: memory (/dev/shm) when there is one, as the data is thrown away anyway
// and copying and creating databases there costs a fraction of doing it on a busy disk.
// $PN_PG_TMPDIR overrides.
fs::path ScratchRoot() {
  if (const char* env = std::getenv("PN_PG_TMPDIR"); env && *env) return env;
  if (::access("/dev/shm", W_OK | X_OK) == 0) return "/dev/shm";
  return fs::temp_directory_path();
}

// Only async-signal-safe calls between fork and exec: the test process has threads.
void BecomeInChild(const RunAs& who) {
  if (who.switch_user) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0) {
      ::_exit(126);
    }
  }
}

// Runs a program to completion (as the server user); its output goes to `log`.
Status RunProgram(const RunAs& who, const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return InternalError("fork failed");
  if (pid == 0) {
    BecomeInChild(who);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return OkStatus();
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return InternalError(args[0] + " failed (status " + std::to_string(status) + "): " + text.str());
}

Status Chown(const std::string& path, const RunAs& who) {
  if (!who.switch_user) return OkStatus();
  if (::chown(path.c_str(), who.uid, who.gid) != 0) {
    return InternalError("cannot give " + path + " to the postgres user");
  }
  return OkStatus();
}

// initdb once per machine/version/user: later clusters copy the result (initdb takes seconds,
// a copy a fraction of one). A lock file serializes test processes starting together.
Result<std::string> TemplateDir(const std::string& bindir, const RunAs& who) {
  const std::string version = fs::path(bindir).parent_path().filename();
  const fs::path base = ScratchRoot() /
                        ("pn-pg-template-" + version + "-u" + std::to_string(::geteuid()));
  const fs::path data = base / "data";
  std::error_code ec;
  fs::create_directories(base, ec);
  PN_RETURN_IF_ERROR(Chown(base, who));
  const std::string lock_path = (base / "lock").string();
  const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return InternalError("cannot open " + lock_path);
  ::flock(lock, LOCK_EX);
  Status made = OkStatus();
  if (!fs::exists(data / "PG_VERSION")) {
    const fs::path building = base / ("building-" + std::to_string(::getpid()));
    fs::remove_all(building, ec);
    made = RunProgram(who,
                      {bindir + "/initdb", "-D", building.string(), "-A", "trust", "-U",
                       "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                      (base / "initdb.log").string());
    if (made.ok()) {
      fs::rename(building, data, ec);
      if (ec) made = InternalError("cannot move the initdb result into place: " + ec.message());
    }
  }
  ::flock(lock, LOCK_UN);
  ::close(lock);
  PN_RETURN_IF_ERROR(made);
  return data.string();
}

Result<int> FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return InternalError("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return InternalError("cannot find a free loopback port");
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<std::unique_ptr<PgCluster>> PgCluster::Start() {
  PN_ASSIGN_OR_RETURN(RunAs who, ServerUser());
  std::unique_ptr<PgCluster> cluster(new PgCluster());
  PN_ASSIGN_OR_RETURN(cluster->bindir_, FindBinDir());
  PN_ASSIGN_OR_RETURN(std::string tmpl, TemplateDir(cluster->bindir_, who));
  std::string pattern = (ScratchRoot() / "pn-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return InternalError("mkdtemp failed");
  cluster->dir_ = pattern;
  PN_RETURN_IF_ERROR(Chown(cluster->dir_, who));
  PN_RETURN_IF_ERROR(RunProgram(who, {"/bin/cp", "-a", tmpl, cluster->dir_ + "/data"},
                                cluster->dir_ + "/cp.log"));
  // A port found free may be taken before the server binds it: try a few.
  Status started = OkStatus();
  for (int attempt = 0; attempt < 5; ++attempt) {
    PN_ASSIGN_OR_RETURN(cluster->port_, FreeLoopbackPort());
    started = cluster->StartServer();
    if (started.ok()) return cluster;
    if (started.message().find("could not bind") == std::string::npos &&
        started.message().find("could not create") == std::string::npos) {
      break;
    }
  }
  return started;
}

Result<PgCluster*> PgCluster::Shared() {
  static Result<std::unique_ptr<PgCluster>>* shared = nullptr;
  static std::mutex mu;
  std::lock_guard lock(mu);
  if (shared == nullptr) {
    shared = new Result<std::unique_ptr<PgCluster>>(Start());
    // Stopped and removed at exit.
    std::atexit([] {
      if (shared->ok()) shared->value().reset();
    });
  }
  if (!shared->ok()) return shared->status();
  return shared->value().get();
}

Status PgCluster::StartServer() {
  PN_ASSIGN_OR_RETURN(RunAs who, ServerUser());
  const std::string log = dir_ + "/server.log";
  const std::vector<std::string> args = {
      bindir_ + "/postgres", "-D", dir_ + "/data", "-p", std::to_string(port_), "-k", dir_,
      "-c", "listen_addresses=127.0.0.1",
      // Throwaway data: skip fsync (commits still wait for the WAL write, so a killed client
      // or server loses nothing the test relies on).
      "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "shared_buffers=16MB",
      "-c", "max_connections=200", "-c", "log_min_messages=warning"};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return InternalError("fork failed");
  if (pid == 0) {
    BecomeInChild(who);
    // After the uid change, which would clear it: die with the thread that started us.
    ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
    if (::getppid() != parent) ::_exit(1);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  // Wait for it to accept connections, or to exit.
  const std::string port = std::to_string(port_);
  const char* keys[] = {"host", "port", "dbname", "user", "connect_timeout", nullptr};
  const char* values[] = {"127.0.0.1", port.c_str(), "postgres", "postgres", "2", nullptr};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      pid_ = -1;
      return UnavailableError("the PostgreSQL server exited at start: " + ReadFile(log));
    }
    if (PQpingParams(keys, values, 0) == PQPING_OK) return OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a child's readiness
  }
  (void)Stop();
  return DeadlineExceededError("the PostgreSQL server did not accept connections within 60 s: " +
                               ReadFile(log));
}

Status PgCluster::Stop() {
  if (pid_ <= 0) return OkStatus();
  ::kill(pid_, SIGINT);  // fast shutdown
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return OkStatus();
}

Status PgCluster::Restart() {
  if (running()) return FailedPreconditionError("the cluster is running");
  return StartServer();
}

PgCluster::~PgCluster() {
  (void)Stop();
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::vector<std::pair<std::string, std::string>> PgCluster::ConnectParams(
    const std::string& dbname) const {
  return {{"host", "127.0.0.1"},
          {"port", std::to_string(port_)},
          {"user", "postgres"},
          {"dbname", dbname}};
}

std::string PgCluster::Url(const std::string& dbname) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + dbname;
}

Status PgCluster::Exec(const std::string& dbname, const std::string& sql) {
  std::vector<const char*> keys, values;
  const auto params = ConnectParams(dbname);
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 0);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    return UnavailableError("connecting to the test cluster: " + why);
  }
  PGresult* res = PQexec(conn, sql.c_str());
  const ExecStatusType st = PQresultStatus(res);
  Status out = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
                   ? OkStatus()
                   : InternalError(std::string("test SQL failed: ") + PQresultErrorMessage(res));
  PQclear(res);
  PQfinish(conn);
  return out;
}

Result<std::string> PgCluster::CreateDatabase() {
  std::string name;
  {
    std::lock_guard lock(mu_);
    name = "pn_test_" + std::to_string(::getpid()) + "_" + std::to_string(next_database_++);
  }
  // FILE_COPY (PostgreSQL 15+) copies the template's files instead of WAL-logging them.
  if (Exec("postgres", "CREATE DATABASE " + name + " STRATEGY FILE_COPY").ok()) return name;
  PN_RETURN_IF_ERROR(Exec("postgres", "CREATE DATABASE " + name));
  return name;
}

}  // namespace pn::testing
