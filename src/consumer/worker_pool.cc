#include "consumer/worker_pool.h"

#include <cstdio>

namespace pn::consumer {

WorkerPool::WorkerPool(JobQueue& queue, JobEnvironment env, int workers)
    : queue_(queue), env_(std::move(env)) {
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Shutdown(std::chrono::milliseconds(0)); }

void WorkerPool::Notify() {
  {
    std::lock_guard lock(mu_);
    pending_ = true;
  }
  wake_.notify_all();
}

int WorkerPool::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

void WorkerPool::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || pending_; });
      if (stopping_) return;
      pending_ = false;
      ++running_;
    }
    // Drain the queue; other workers woken by the same Notify find nothing and go back to sleep.
    while (true) {
      auto claimed = queue_.ClaimNext();
      if (!claimed.ok()) {
        std::fprintf(stderr, "job queue: %s\n", claimed.status().ToString().c_str());
        break;
      }
      if (!claimed->has_value()) break;
      const Job& job = **claimed;
      JobOutcome outcome = ExecuteJob(env_, job, &cancel_);
      Status finished = queue_.Finish(job.id, outcome);
      if (!finished.ok()) std::fprintf(stderr, "job %s: %s\n", job.id.c_str(), finished.ToString().c_str());
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    {
      std::lock_guard lock(mu_);
      --running_;
    }
    idle_.notify_all();
  }
}

bool WorkerPool::Shutdown(std::chrono::milliseconds grace) {
  bool clean = true;
  {
    std::unique_lock lock(mu_);
    if (joined_) return true;
    joined_ = true;
    stopping_ = true;
    wake_.notify_all();
    if (!idle_.wait_for(lock, grace, [&] { return running_ == 0; })) clean = false;
  }
  if (!clean) cancel_.Cancel();
  for (auto& t : threads_) t.join();
  return clean;
}

}  // namespace pn::consumer
