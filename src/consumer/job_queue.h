// The runner's durable job queue: one SQLite table in the work directory. A job is stored before
// POST /receive answers, claimed by one worker, and finished with its outcome. States reuse the
// dispatcher's HTTP-phrase strings so existing tooling can read them.
// Thread-safety: all methods are safe to call concurrently (one connection behind a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"

struct sqlite3;

namespace pn::consumer {

inline constexpr const char* kJobQueued = "202 Accepted";
inline constexpr const char* kJobRunning = "102 Processing";
inline constexpr const char* kJobSucceeded = "200 OK";
inline constexpr const char* kJobNotMatched = "422 Unprocessable Entity";
inline constexpr const char* kJobFailed = "500 Internal Server Error";

struct JobOutcome {
  std::string state;  // one of the final kJob* states
  std::optional<int> exit_code;
  std::string stdout_text;
  std::string stderr_text;
  std::string error;            // why it failed, for a person; empty on success
  std::vector<std::string> upload_job_ids;  // ingest job ids = new transaction ids
};

struct Job {
  std::string id;
  std::string state;
  std::string body;  // the event exactly as received
  std::string created;
  std::string updated;
  JobOutcome outcome;  // meaningful once state is final
};

class JobQueue {
 public:
  ~JobQueue();
  // Creates the table when missing; jobs left "102 Processing" by a killed runner go back to the
  // queue (at-least-once, like the producer's own deliveries).
  static Result<std::unique_ptr<JobQueue>> Open(const std::string& path, const Clock& clock,
                                                RandomSource& random);

  // Stores the job durably (synchronous commit) and returns its id.
  Result<std::string> Enqueue(const std::string& body);
  // Records a job that will not run (state 422) with the reason.
  Result<std::string> EnqueueFinished(const std::string& body, const JobOutcome& outcome);
  // The oldest queued job, now marked running; nullopt when none is queued.
  Result<std::optional<Job>> ClaimNext();
  Status Finish(const std::string& id, const JobOutcome& outcome);
  // NotFound for an unknown id.
  Result<Job> Get(const std::string& id);
  // Every job, newest first (body and output left empty).
  Result<std::vector<Job>> List();
  Result<int> CountInState(const std::string& state);

 private:
  JobQueue(sqlite3* db, const Clock& clock, RandomSource& random)
      : db_(db), clock_(clock), random_(random) {}
  Result<std::string> Insert(const std::string& body, const std::string& state,
                             const JobOutcome* outcome);
  Status Exec(const char* sql);

  std::mutex mu_;
  sqlite3* db_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace pn::consumer
