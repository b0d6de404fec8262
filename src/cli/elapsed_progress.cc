#include "cli/elapsed_progress.h"

namespace pn::cli {

ElapsedProgress::ElapsedProgress(std::ostream& out, bool enabled, std::string label,
                                 std::chrono::milliseconds interval)
    : out_(out), enabled_(enabled), label_(std::move(label)) {
  if (!enabled_) return;
  Render("...");
  refresher_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, interval, [this] { return done_; })) Render("...");
  });
}

ElapsedProgress::~ElapsedProgress() { Finish(true); }

void ElapsedProgress::Render(const char* suffix) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::steady_clock::now() - started_).count();
  out_ << "\r" << label_ << suffix << " " << seconds << " s" << std::flush;
}

void ElapsedProgress::Finish(bool ok) {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  refresher_.join();
  Render(ok ? ": done in" : ": failed after");
  out_ << "\n" << std::flush;
}

}  // namespace pn::cli
