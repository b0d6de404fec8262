#include "consumer/runner.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "consumer/endpoint.h"
#include "consumer/job_executor.h"
#include "consumer/job_queue.h"
#include "consumer/producer_client.h"
#include "consumer/safe_zip.h"
#include "consumer/venv.h"
#include "consumer/worker_pool.h"
#include "http/server.h"
#include "jsonpath/jsonpath.h"

namespace pn::consumer {
namespace {

namespace fs = std::filesystem;

Status Step(int number, const char* name, Status status) {
  if (status.ok()) return status;
  return Status(status.code(), "start-up step " + std::to_string(number) + " (" + name +
                                   "): " + status.message());
}

std::vector<std::pair<std::string, std::string>> HelperEnv(const ConsumerOptions& o) {
  auto seconds = [](std::chrono::milliseconds ms) {
    std::ostringstream s;
    s << static_cast<double>(ms.count()) / 1000.0;
    return s.str();
  };
  std::ostringstream poll;
  poll << o.poll_interval_s;
  const PacificaEndpoints& e = o.endpoints;
  return {{"PN_CONSUMER_DOWNLOAD_URL", e.download_url},
          {"PN_CONSUMER_UPLOAD_URL", e.upload_url},
          {"PN_CONSUMER_UPLOAD_STATUS_URL", e.upload_status_url},
          {"PN_CONSUMER_CA_BUNDLE", e.ca_bundle},
          {"PN_CONSUMER_AUTH_TYPE", e.auth_type},
          {"PN_CONSUMER_AUTH_USERNAME", e.username},
          {"PN_CONSUMER_AUTH_PASSWORD", e.password},
          {"PN_CONSUMER_AUTH_CERT", e.cert},
          {"PN_CONSUMER_AUTH_KEY", e.key},
          {"PN_CONSUMER_DOWNLOAD_TIMEOUT", seconds(o.download_timeout)},
          {"PN_CONSUMER_UPLOAD_TIMEOUT", seconds(o.upload_timeout)},
          {"PN_CONSUMER_POLL_INTERVAL", poll.str()}};
}

}  // namespace

ConsumerRunner::ConsumerRunner(ConsumerOptions options, const Clock& clock, RandomSource& random,
                               Logger log)
    : options_(std::move(options)), clock_(clock), random_(random), log_(std::move(log)) {}

ConsumerRunner::~ConsumerRunner() {
  if (started_) Stop();
}

int ConsumerRunner::port() const { return server_ ? server_->port() : 0; }

Status ConsumerRunner::PrepareWorkDir() {
  std::error_code ec;
  if (options_.work_dir.empty()) {
    std::string tmpl = (fs::temp_directory_path(ec) / "pn-consumer-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      return UnavailableError("cannot create a temporary work folder " + tmpl + ": " +
                              std::strerror(errno));
    }
    work_dir_ = tmpl;
    created_work_dir_ = true;
    return OkStatus();
  }
  work_dir_ = fs::absolute(options_.work_dir, ec).string();
  created_work_dir_ = !fs::exists(work_dir_, ec);
  fs::create_directories(work_dir_, ec);
  if (ec) return UnavailableError("cannot create --work-dir " + work_dir_ + ": " + ec.message());
  // A kept work folder from an earlier run: the consumer and venv are rebuilt from the zip, the
  // job database is kept (unfinished jobs run again).
  fs::remove_all(fs::path(work_dir_) / "consumer", ec);
  fs::remove_all(fs::path(work_dir_) / "venv", ec);
  return OkStatus();
}

Status ConsumerRunner::Start(const CancelSignal* cancel) {
  Status status = StartSteps(cancel);
  if (!status.ok()) {
    log_("start-up failed, undoing what was done: " + status.message());
    started_ = true;
    Stop();
    started_ = false;
    return status;
  }
  started_ = true;
  return status;
}

Status ConsumerRunner::StartSteps(const CancelSignal* cancel) {
  auto interrupted = [&]() -> Status {
    if (cancel != nullptr && cancel->cancelled()) {
      return UnavailableError("start-up interrupted by a signal");
    }
    return OkStatus();
  };
  PN_RETURN_IF_ERROR(Step(1, "work folder", PrepareWorkDir()));
  const fs::path work(work_dir_);
  VenvPaths paths{(work / "venv").string(), (work / "consumer").string()};

  log_("step 1/6: extracting " + options_.consumer_zip + " into " + paths.consumer_dir);
  std::error_code ec;
  fs::create_directories(paths.consumer_dir, ec);
  ZipLimits limits;
  limits.max_total_bytes = options_.max_zip_bytes;
  PN_RETURN_IF_ERROR(Step(1, "extract consumer.zip",
                          ExtractConsumerZip(options_.consumer_zip, paths.consumer_dir, limits)));

  log_("step 2/6: validating jsonpath2.txt");
  std::ifstream in(work / "consumer" / "jsonpath2.txt", std::ios::binary);
  std::string jsonpath_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!jsonpath_text.empty() && (jsonpath_text.back() == '\n' || jsonpath_text.back() == '\r')) {
    jsonpath_text.pop_back();
  }
  auto path = jsonpath::Parse(jsonpath_text);
  if (!path.ok()) {
    return Step(2, "validate jsonpath2.txt",
                InvalidArgumentError("jsonpath2.txt is not a valid jsonpath2 expression: " +
                                     path.status().message()));
  }

  log_("step 3/6: creating the Python environment in " + paths.venv_dir);
  PN_RETURN_IF_ERROR(interrupted());
  PN_RETURN_IF_ERROR(Step(3, "python environment", CreateVenv(options_.python, paths, cancel)));
  PN_RETURN_IF_ERROR(Step(3, "python environment", InstallHelperPackages(paths)));
  PN_RETURN_IF_ERROR(interrupted());
  log_("step 3/6: running init.sh");
  PN_RETURN_IF_ERROR(Step(3, "init.sh", RunInitScript(paths, cancel)));
  PN_RETURN_IF_ERROR(interrupted());
  log_("step 3/6: installing requirements.txt");
  PN_RETURN_IF_ERROR(Step(3, "requirements.txt",
                          PipInstallRequirements(paths, options_.pip_args, cancel)));
  PN_RETURN_IF_ERROR(interrupted());

  log_("step 4/6: starting the job queue with " + std::to_string(options_.workers) + " worker(s)");
  auto queue = JobQueue::Open((work / "jobs.sqlite").string(), clock_, random_);
  if (!queue.ok()) return Step(4, "job queue", queue.status());
  queue_ = std::move(*queue);
  JobEnvironment job_env;
  job_env.venv = paths;
  job_env.jobs_dir = (work / "jobs").string();
  job_env.helper_env = HelperEnv(options_);
  job_env.timeout = options_.job_timeout;
  workers_ = std::make_unique<WorkerPool>(*queue_, std::move(job_env), options_.workers);

  log_("step 5/6: starting the endpoint on " + options_.address + ":" +
       std::to_string(options_.port));
  EndpointDeps deps;
  deps.queue = queue_.get();
  deps.jsonpath = *path;
  deps.auth = options_.callback_auth;
  WorkerPool* pool = workers_.get();
  deps.on_enqueued = [pool] { pool->Notify(); };
  deps.version = PN_CONSUMER_VERSION;
  http::ServerOptions server_options;
  server_options.address = options_.address;
  server_options.port = static_cast<uint16_t>(options_.port);
  server_options.threads = 1;
  std::string version = deps.version;
  server_options.error_response = [version](int status, std::string_view message) {
    return JsonError(status, std::string(message), version);
  };
  auto server = http::Server::Start(server_options, MakeConsumerHandler(std::move(deps)));
  if (!server.ok()) return Step(5, "endpoint", server.status());
  server_ = std::move(*server);

  std::string public_url = options_.public_url;
  if (public_url.empty()) {
    public_url = "http://" + options_.address + ":" + std::to_string(server_->port());
  }
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  log_("step 6/6: registering the subscription at " + options_.producer.url + " for " +
       public_url + "/receive");
  Json subscription = {{"name", options_.name},
                       {"jsonpath", jsonpath_text},
                       {"target_url", public_url + "/receive"}};
  Json auth = options_.callback_auth.ToSubscriptionAuth();
  if (!auth.is_null()) subscription["auth"] = auth;
  if (options_.extensions) subscription["extensions"] = *options_.extensions;
  producer_ = std::make_unique<ProducerClient>(options_.producer);
  auto stored = producer_->Register(subscription);
  if (!stored.ok()) return Step(6, "register with the producer", stored.status());
  subscription_uuid_ = (*stored)["uuid"].get<std::string>();
  return OkStatus();
}

bool ConsumerRunner::Stop() {
  if (!started_ || stopped_) return true;
  stopped_ = true;
  bool clean = true;
  if (!subscription_uuid_.empty()) {
    Status removed = producer_->Unregister(subscription_uuid_);
    if (removed.ok()) {
      log_("removed subscription " + subscription_uuid_);
    } else {
      clean = false;
      log_("could not remove subscription " + subscription_uuid_ + ": " + removed.message());
    }
  }
  if (server_) server_->Stop(std::chrono::seconds(10));
  if (workers_) {
    if (workers_->running() > 0) log_("waiting for running jobs to finish");
    if (!workers_->Shutdown(options_.grace_period)) {
      clean = false;
      log_("running jobs did not finish within the grace period and were stopped");
    }
  }
  server_.reset();
  workers_.reset();
  queue_.reset();
  Cleanup();
  return clean;
}

void ConsumerRunner::Cleanup() {
  if (work_dir_.empty()) return;
  if (options_.keep) {
    log_("keeping " + work_dir_ + " (--keep)");
    return;
  }
  std::error_code ec;
  if (created_work_dir_) {
    fs::remove_all(work_dir_, ec);
  } else {
    for (const char* name : {"consumer", "venv", "jobs", "jobs.sqlite", "jobs.sqlite-wal",
                             "jobs.sqlite-shm"}) {
      fs::remove_all(fs::path(work_dir_) / name, ec);
    }
  }
  if (ec) log_("could not remove everything under " + work_dir_ + ": " + ec.message());
}

}  // namespace pn::consumer
