// ConsumerRunner: the start-up sequence of start-pacifica-notifications-consumer and its reverse.
//   1 extract consumer.zip   2 validate jsonpath2.txt   3 venv + helper + init.sh + pip
//   4 job queue and workers  5 HTTP endpoint            6 register the subscription
// A failing step stops start-up with the step's name and reason, after undoing the steps before
// it. Stop() unregisters, stops accepting, gives running jobs the grace period and cleans up.
// Thread-safety: Start and Stop from one thread; the CancelSignal may fire from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "consumer/options.h"
#include "consumer/process.h"

namespace pn::http {
class Server;
}

namespace pn::consumer {

class JobQueue;
class WorkerPool;
class ProducerClient;

class ConsumerRunner {
 public:
  using Logger = std::function<void(const std::string&)>;
  ConsumerRunner(ConsumerOptions options, const Clock& clock, RandomSource& random, Logger log);
  ~ConsumerRunner();  // Stop() when started

  // Runs the start-up steps. On failure everything done so far is undone and the status names
  // the step ("start-up step 3 (python environment): init.sh failed (exit status 2): ...").
  Status Start(const CancelSignal* cancel);
  // Reverses Start. Returns false when running jobs had to be stopped after the grace period or
  // the subscription could not be removed (both logged). Idempotent.
  bool Stop();

  int port() const;
  const std::string& subscription_uuid() const { return subscription_uuid_; }
  const std::string& work_dir() const { return work_dir_; }

 private:
  Status StartSteps(const CancelSignal* cancel);
  Status PrepareWorkDir();
  void Cleanup();

  ConsumerOptions options_;
  const Clock& clock_;
  RandomSource& random_;
  Logger log_;
  std::string work_dir_;
  bool created_work_dir_ = false;
  bool started_ = false;
  bool stopped_ = false;
  std::string subscription_uuid_;
  std::unique_ptr<ProducerClient> producer_;
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace pn::consumer
