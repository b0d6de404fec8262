#include "consumer/job_queue.h"

#include <sqlite3.h>

#include "common/time_format.h"
#include "common/uuid.h"
#include "json/json.h"

namespace pn::consumer {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS consumer_jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  body TEXT NOT NULL,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  exit_code INTEGER,
  stdout TEXT NOT NULL DEFAULT '',
  stderr TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  upload_job_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS consumer_jobs_state ON consumer_jobs(state, seq);
)sql";

// RAII statement with checked binding helpers.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  bool ok() const { return stmt_ != nullptr; }
  void Bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, std::optional<int> v) {
    if (v) sqlite3_bind_int(stmt_, i, *v); else sqlite3_bind_null(stmt_, i);
  }
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t != nullptr ? std::string(reinterpret_cast<const char*>(t),
                                      sqlite3_column_bytes(stmt_, col))
                        : std::string();
  }
  std::optional<int> Int(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int(stmt_, col);
  }
  Status Error(const std::string& what) const {
    return InternalError(what + ": " + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string IdsToJson(const std::vector<std::string>& ids) {
  Json arr = Json::array();
  for (const auto& id : ids) arr.push_back(id);
  return DumpCompact(arr);
}

std::vector<std::string> IdsFromJson(const std::string& text) {
  std::vector<std::string> ids;
  auto parsed = ParseJson(text);
  if (parsed.ok() && parsed->is_array()) {
    for (const auto& v : *parsed) ids.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  return ids;
}

constexpr const char* kSelectColumns =
    "SELECT id, state, body, created, updated, exit_code, stdout, stderr, error, upload_job_ids "
    "FROM consumer_jobs ";

Job ReadJob(const Stmt& s) {
  Job job;
  job.id = s.Text(0);
  job.state = s.Text(1);
  job.body = s.Text(2);
  job.created = s.Text(3);
  job.updated = s.Text(4);
  job.outcome.state = job.state;
  job.outcome.exit_code = s.Int(5);
  job.outcome.stdout_text = s.Text(6);
  job.outcome.stderr_text = s.Text(7);
  job.outcome.error = s.Text(8);
  job.outcome.upload_job_ids = IdsFromJson(s.Text(9));
  return job;
}

}  // namespace

JobQueue::~JobQueue() { sqlite3_close_v2(db_); }

Status JobQueue::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return InternalError("job queue: " + msg);
  }
  return OkStatus();
}

Result<std::unique_ptr<JobQueue>> JobQueue::Open(const std::string& path, const Clock& clock,
                                                 RandomSource& random) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                                  SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return UnavailableError("cannot open job database \"" + path + "\": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<JobQueue> queue(new JobQueue(db, clock, random));
  PN_RETURN_IF_ERROR(queue->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"));
  PN_RETURN_IF_ERROR(queue->Exec(kSchema));
  Stmt requeue(db, "UPDATE consumer_jobs SET state = ?1 WHERE state = ?2");
  requeue.Bind(1, std::string(kJobQueued));
  requeue.Bind(2, std::string(kJobRunning));
  if (requeue.Step() != SQLITE_DONE) return requeue.Error("requeueing interrupted jobs");
  return queue;
}

Result<std::string> JobQueue::Insert(const std::string& body, const std::string& state,
                                     const JobOutcome* outcome) {
  std::lock_guard lock(mu_);
  std::string id = NewUuid4(random_);
  std::string now = FormatIsoTimestamp(clock_.Now());
  Stmt s(db_,
         "INSERT INTO consumer_jobs (id, state, body, created, updated, exit_code, stdout, stderr, "
         "error, upload_job_ids) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!s.ok()) return s.Error("preparing job insert");
  s.Bind(1, id);
  s.Bind(2, state);
  s.Bind(3, body);
  s.Bind(4, now);
  JobOutcome none;
  const JobOutcome& o = outcome != nullptr ? *outcome : none;
  s.Bind(5, o.exit_code);
  s.Bind(6, o.stdout_text);
  s.Bind(7, o.stderr_text);
  s.Bind(8, o.error);
  s.Bind(9, IdsToJson(o.upload_job_ids));
  if (s.Step() != SQLITE_DONE) return s.Error("storing job");
  return id;
}

Result<std::string> JobQueue::Enqueue(const std::string& body) {
  return Insert(body, kJobQueued, nullptr);
}

Result<std::string> JobQueue::EnqueueFinished(const std::string& body, const JobOutcome& outcome) {
  return Insert(body, outcome.state, &outcome);
}

Result<std::optional<Job>> JobQueue::ClaimNext() {
  std::lock_guard lock(mu_);
  Stmt pick(db_, (std::string(kSelectColumns) + "WHERE state = ?1 ORDER BY seq LIMIT 1").c_str());
  if (!pick.ok()) return pick.Error("preparing claim");
  pick.Bind(1, std::string(kJobQueued));
  int rc = pick.Step();
  if (rc == SQLITE_DONE) return std::optional<Job>();
  if (rc != SQLITE_ROW) return pick.Error("claiming a job");
  Job job = ReadJob(pick);
  Stmt mark(db_, "UPDATE consumer_jobs SET state = ?1, updated = ?2 WHERE id = ?3");
  job.state = kJobRunning;
  job.updated = FormatIsoTimestamp(clock_.Now());
  mark.Bind(1, job.state);
  mark.Bind(2, job.updated);
  mark.Bind(3, job.id);
  if (mark.Step() != SQLITE_DONE) return mark.Error("marking job running");
  return std::optional<Job>(std::move(job));
}

Status JobQueue::Finish(const std::string& id, const JobOutcome& o) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "UPDATE consumer_jobs SET state = ?1, updated = ?2, exit_code = ?3, stdout = ?4, "
         "stderr = ?5, error = ?6, upload_job_ids = ?7 WHERE id = ?8");
  if (!s.ok()) return s.Error("preparing job update");
  s.Bind(1, o.state);
  s.Bind(2, FormatIsoTimestamp(clock_.Now()));
  s.Bind(3, o.exit_code);
  s.Bind(4, o.stdout_text);
  s.Bind(5, o.stderr_text);
  s.Bind(6, o.error);
  s.Bind(7, IdsToJson(o.upload_job_ids));
  s.Bind(8, id);
  if (s.Step() != SQLITE_DONE) return s.Error("finishing job " + id);
  if (sqlite3_changes(db_) == 0) return NotFoundError("no job " + id);
  return OkStatus();
}

Result<Job> JobQueue::Get(const std::string& id) {
  std::lock_guard lock(mu_);
  Stmt s(db_, (std::string(kSelectColumns) + "WHERE id = ?1").c_str());
  if (!s.ok()) return s.Error("preparing job lookup");
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return NotFoundError("no job " + id);
  if (rc != SQLITE_ROW) return s.Error("reading job " + id);
  return ReadJob(s);
}

Result<std::vector<Job>> JobQueue::List() {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT id, state, created, updated FROM consumer_jobs ORDER BY seq DESC");
  if (!s.ok()) return s.Error("preparing job list");
  std::vector<Job> jobs;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Job job;
    job.id = s.Text(0);
    job.state = s.Text(1);
    job.created = s.Text(2);
    job.updated = s.Text(3);
    jobs.push_back(std::move(job));
  }
  if (rc != SQLITE_DONE) return s.Error("listing jobs");
  return jobs;
}

Result<int> JobQueue::CountInState(const std::string& state) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT COUNT(*) FROM consumer_jobs WHERE state = ?1");
  s.Bind(1, state);
  if (s.Step() != SQLITE_ROW) return s.Error("counting jobs");
  return s.Int(0).value_or(0);
}

}  // namespace pn::consumer
