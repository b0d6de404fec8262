#include "consumer/job_executor.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "json/json.h"

namespace pn::consumer {
namespace {

namespace fs = std::filesystem;

// DST/uploads/<subdir>/ for each Files entry: the documented example writes there without
// creating directories. Unsafe subdirs are skipped (the helper refuses them when downloading).
void PrecreateUploadDirs(const std::string& body, const fs::path& uploads) {
  auto event = ParseJson(body);
  if (!event.ok() || !event->is_object() || !event->contains("data") ||
      !(*event)["data"].is_array()) {
    return;
  }
  for (const auto& item : (*event)["data"]) {
    if (!item.is_object() || item.value("destinationTable", Json()) != "Files") continue;
    if (!item.contains("subdir") || !item["subdir"].is_string()) continue;
    std::string subdir = item["subdir"].get<std::string>();
    fs::path dir = uploads;
    bool safe = true;
    std::stringstream parts(subdir);
    std::string part;
    while (std::getline(parts, part, '/')) {
      if (part == "..") safe = false;
      if (!part.empty() && part != ".") dir /= part;
    }
    std::error_code ec;
    if (safe) fs::create_directories(dir, ec);
  }
}

struct Report {
  std::vector<std::string> failures;
  std::vector<std::string> upload_job_ids;
};

Report ReadReport(const fs::path& path) {
  Report report;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto rec = ParseJson(line);
    if (!rec.ok() || !rec->is_object()) {
      report.failures.push_back("unreadable helper report line: " + line);
      continue;
    }
    std::string op = rec->value("op", std::string("?"));
    if (!rec->value("ok", false)) {
      report.failures.push_back(op + " failed: " + rec->value("error", std::string("no detail")));
    } else if (op == "upload" && rec->contains("job_id") && !(*rec)["job_id"].is_null()) {
      const Json& id = (*rec)["job_id"];
      report.upload_job_ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
    }
  }
  return report;
}

}  // namespace

std::string JobDirectory(const JobEnvironment& env, const std::string& job_id) {
  return (fs::path(env.jobs_dir) / job_id).string();
}

JobOutcome ExecuteJob(const JobEnvironment& env, const Job& job, const CancelSignal* cancel) {
  JobOutcome outcome;
  outcome.state = kJobFailed;
  fs::path dir = JobDirectory(env, job.id);
  fs::path src = dir / "src", dst = dir / "dst", report_path = dir / "report.jsonl";
  std::error_code ec;
  fs::remove_all(dir, ec);  // a job requeued after a crash starts over
  fs::create_directories(src / "downloads", ec);
  if (!ec) fs::create_directories(dst / "uploads", ec);
  if (ec) {
    outcome.error = "cannot create the job folders under " + dir.string() + ": " + ec.message();
    return outcome;
  }
  {
    std::ofstream out(src / "notification.json", std::ios::binary);
    out << job.body;
    if (!out) {
      outcome.error = "cannot write " + (src / "notification.json").string();
      return outcome;
    }
  }
  PrecreateUploadDirs(job.body, dst / "uploads");

  auto vars = env.venv.ActivatedEnv();
  vars.insert(vars.end(), env.helper_env.begin(), env.helper_env.end());
  vars.emplace_back("PN_CONSUMER_REPORT", report_path.string());
  vars.emplace_back("PN_CONSUMER_JOB_ID", job.id);
  vars.emplace_back("PYTHONUNBUFFERED", "1");
  ProcessSpec spec;
  spec.argv = {env.venv.python(), "__main__.py", src.string(), dst.string()};
  spec.cwd = env.venv.consumer_dir;
  spec.env = EnvironmentWith(vars);
  spec.timeout = env.timeout;
  spec.kill_grace = env.kill_grace;
  auto run = RunProcess(spec, cancel);
  if (!run.ok()) {
    outcome.error = "cannot start the entry point: " + run.status().message();
    return outcome;
  }
  outcome.exit_code = run->exit_code >= 0 && run->term_signal == 0 ? std::optional(run->exit_code)
                                                                    : std::nullopt;
  outcome.stdout_text = std::move(run->out);
  outcome.stderr_text = std::move(run->err);
  Report report = ReadReport(report_path);
  outcome.upload_job_ids = report.upload_job_ids;
  if (run->cancelled) {
    outcome.error = "stopped: the runner shut down before the entry point finished";
  } else if (run->timed_out) {
    outcome.error = "the entry point exceeded --job-timeout and was stopped";
  } else if (!run->succeeded()) {
    outcome.error = "the entry point failed (" + run->Describe() + ")";
    for (const auto& failure : report.failures) outcome.error += "; " + failure;
  } else if (!report.failures.empty()) {
    outcome.error = "the entry point exited 0 but " + report.failures.front();
    for (size_t i = 1; i < report.failures.size(); ++i) outcome.error += "; " + report.failures[i];
  } else {
    outcome.state = kJobSucceeded;
  }
  return outcome;
}

}  // namespace pn::consumer
