// start-pacifica-notifications-consumer: wiring only (options, signals, the runner).
#include <poll.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "common/clock.h"
#include "common/random.h"
#include "consumer/options.h"
#include "consumer/runner.h"

int main(int argc, char** argv) {
  using pn::consumer::CancelSignal;
  auto parsed = pn::consumer::ParseCommandLine(argc, argv);
  if (!parsed.ok()) {
    std::fprintf(stderr, "start-pacifica-notifications-consumer: %s\n",
                 parsed.status().message().c_str());
    return 2;
  }
  if (parsed->exit_now) {
    std::fputs(parsed->output.c_str(), stdout);
    return 0;
  }
  // Signals are taken by one thread with sigwait, so every other thread (and fork) stays simple.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  CancelSignal stop;
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    std::fprintf(stderr, "consumer: received %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    stop.Cancel();
  });
  signal_thread.detach();

  auto log = [](const std::string& line) {
    std::fprintf(stderr, "consumer: %s\n", line.c_str());
    std::fflush(stderr);
  };
  pn::consumer::ConsumerRunner runner(std::move(parsed->options), pn::SystemClock::Instance(),
                                      pn::SystemRandom::Instance(), log);
  pn::Status started = runner.Start(&stop);
  if (!started.ok()) {
    std::fprintf(stderr, "start-pacifica-notifications-consumer: %s\n", started.message().c_str());
    return 1;
  }
  // One machine-readable line on stdout, for scripts and tests.
  std::printf("ready port=%d subscription=%s work_dir=%s\n", runner.port(),
              runner.subscription_uuid().c_str(), runner.work_dir().c_str());
  std::fflush(stdout);
  pollfd pfd{stop.fd(), POLLIN, 0};
  while (!stop.cancelled()) poll(&pfd, 1, -1);
  runner.Stop();
  log("stopped");
  return 0;
}
