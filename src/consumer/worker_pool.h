// N worker threads taking jobs from the JobQueue, running them with ExecuteJob and recording the
// outcome. Idle workers sleep until Notify() (a new job) or shutdown.
// Thread-safety: Notify/Shutdown/running may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "consumer/job_executor.h"
#include "consumer/job_queue.h"
#include "consumer/process.h"

namespace pn::consumer {

class WorkerPool {
 public:
  WorkerPool(JobQueue& queue, JobEnvironment env, int workers);
  ~WorkerPool();  // Shutdown(0) when still running
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Notify();
  // Stops claiming jobs, waits up to `grace` for running jobs, then stops their processes
  // (recorded as failed, "stopped") and joins the threads. Returns true when none had to be
  // stopped. Later calls return at once.
  bool Shutdown(std::chrono::milliseconds grace);
  int running() const;

 private:
  void Loop();

  JobQueue& queue_;
  JobEnvironment env_;
  CancelSignal cancel_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  bool stopping_ = false;
  bool pending_ = true;  // check the queue once at start (jobs left from a previous run)
  int running_ = 0;
  bool joined_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pn::consumer
