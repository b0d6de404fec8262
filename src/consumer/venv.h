// Prepares a consumer's Python environment: a venv, our helper module and offline stand-ins
// (installed as distributions so requirements.txt lines naming them are already satisfied),
// init.sh, then pip with the user's extra arguments.
// Thread-safety: reentrant; one call per venv at a time.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "consumer/process.h"

namespace pn::consumer {

struct VenvPaths {
  std::string venv_dir;
  std::string consumer_dir;  // the extracted consumer.zip
  std::string python() const { return venv_dir + "/bin/python"; }
  // VIRTUAL_ENV and PATH as `activate` sets them, for init.sh, pip and jobs.
  std::vector<std::pair<std::string, std::string>> ActivatedEnv() const;
};

// `python -m venv DIR`. FailedPrecondition with the tool's output when it fails.
Status CreateVenv(const std::string& python, const VenvPaths& paths, const CancelSignal* cancel);

// Writes the embedded Python packages and their .dist-info records into the venv's
// site-packages: pacifica-notifications-consumer, promise, promises, jsonpath2 (the last three as
// version 0.0.0+pnshim, so a versioned requirement still fetches the real package).
Status InstallHelperPackages(const VenvPaths& paths);

// Runs `sh init.sh` in the consumer directory with the venv active, when init.sh exists.
Status RunInitScript(const VenvPaths& paths, const CancelSignal* cancel);

// `python -m pip install -r requirements.txt ARGS...` when requirements.txt exists.
Status PipInstallRequirements(const VenvPaths& paths, const std::vector<std::string>& pip_args,
                              const CancelSignal* cancel);

}  // namespace pn::consumer
