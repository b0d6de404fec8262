#include "store/postgres/pg_listener.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "store/postgres/pg_schema.h"

namespace pn::pg {

ChangeListener::ChangeListener(ConnectParams params, Duration reconnect_wait)
    : params_(std::move(params)), reconnect_wait_(reconnect_wait) {}

ChangeListener::~ChangeListener() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (wake_pipe_[1] >= 0) {
    char byte = 1;
    (void)!::write(wake_pipe_[1], &byte, 1);
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void ChangeListener::StartOnce() {
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    spdlog::warn("postgres: cannot create a pipe for the change listener; changes made by "
                 "other processes are seen by polling only");
    return;
  }
  thread_ = std::thread([this] { Loop(); });
}

Status ChangeListener::WaitForChange(int64_t seen, Duration timeout) {
  StartOnce();
  std::unique_lock lock(mu_);
  if (changed_.wait_for(lock, timeout, [&] { return latest_ > seen || stopping_; }) &&
      latest_ > seen) {
    return OkStatus();
  }
  return DeadlineExceededError("no subscription change heard");
}

void ChangeListener::Heard(int64_t counter) {
  {
    std::lock_guard lock(mu_);
    if (counter <= latest_) return;
    latest_ = counter;
  }
  changed_.notify_all();
}

void ChangeListener::Loop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(params_);
    Status ended = conn.ok() ? ListenOn(**conn) : conn.status();
    std::unique_lock lock(mu_);
    if (stopping_) return;
    spdlog::warn("postgres: listening for subscription changes stopped ({}); retrying in {} ms",
                 ended.ToString(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(reconnect_wait_).count());
    changed_.wait_for(lock, reconnect_wait_, [&] { return stopping_; });
  }
}

Status ChangeListener::ListenOn(PgConnection& conn) {
  PN_RETURN_IF_ERROR(conn.Exec(std::string("LISTEN ") + kChangeChannel));
  // Whatever changed before LISTEN took effect: read the counter once (a database without
  // our schema yet simply has none to read).
  Result<PgResult> counter =
      conn.Query("SELECT \"counter\" FROM \"eventmatchchange\" WHERE \"id\" = 1");
  if (counter.ok() && counter->rows() == 1) Heard(counter->Int(0, 0));
  const int socket = PQsocket(conn.raw());
  if (socket < 0) return UnavailableError("the listening connection has no socket");
  while (true) {
    pollfd fds[2] = {{socket, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return InternalError("poll failed while listening");
    }
    if (fds[1].revents != 0) return OkStatus();  // stopping
    if (PQconsumeInput(conn.raw()) == 0) {
      return UnavailableError(std::string("connection lost: ") + PQerrorMessage(conn.raw()));
    }
    while (PGnotify* note = PQnotifies(conn.raw())) {
      Heard(std::strtoll(note->extra, nullptr, 10));
      PQfreemem(note);
    }
  }
}

}  // namespace pn::pg
