// Runs one job: fresh SRC and DST folders, SRC/notification.json, then
// `<venv>/bin/python __main__.py SRC DST` in the consumer folder, and turns the exit status and
// the helper's report (download/upload outcomes, unhandled promise rejections) into an outcome.
// A failing entry point is an outcome, never an error of the runner.
// Thread-safety: ExecuteJob is reentrant; jobs use separate folders.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "consumer/job_queue.h"
#include "consumer/process.h"
#include "consumer/venv.h"

namespace pn::consumer {

struct JobEnvironment {
  VenvPaths venv;
  std::string jobs_dir;  // jobs live in jobs_dir/<id>/{src,dst}
  // Endpoints and credentials for the helper (PN_CONSUMER_* variables).
  std::vector<std::pair<std::string, std::string>> helper_env;
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds kill_grace{5000};
};

JobOutcome ExecuteJob(const JobEnvironment& env, const Job& job, const CancelSignal* cancel);

// The job's folder (jobs_dir/<id>).
std::string JobDirectory(const JobEnvironment& env, const std::string& job_id);

}  // namespace pn::consumer
