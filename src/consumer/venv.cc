#include "consumer/venv.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "consumer/embedded_python.h"

namespace pn::consumer {
namespace {

namespace fs = std::filesystem;

struct Distribution {
  const char* name;       // as pip names it
  const char* dist_dir;   // normalized name for the .dist-info directory
  const char* version;
  const char* top_level;  // the package directory under site-packages
  const char* summary;
};

constexpr Distribution kDistributions[] = {
    {"pacifica-notifications-consumer", "pacifica_notifications_consumer", "1.0.0",
     "pacifica_notifications_consumer",
     "download/upload helpers for start-pacifica-notifications-consumer entry points"},
    {"promise", "promise", "0.0.0+pnshim", "promise",
     "offline stand-in for the promise package (synchronous Promise)"},
    {"promises", "promises", "0.0.0+pnshim", "promises",
     "alias of the promise stand-in (the consumer documentation's spelling)"},
    {"jsonpath2", "jsonpath2", "0.0.0+pnshim", "jsonpath2",
     "offline stand-in for python-jsonpath2's Path (no functions)"},
};

Status WriteFile(const fs::path& path, std::string_view content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return InternalError("cannot write " + path.string());
  return OkStatus();
}

Status FailedStep(const std::string& what, const ProcessResult& r) {
  std::string output = Tail(r.err.empty() ? r.out : r.err);
  return FailedPreconditionError(what + " failed (" + r.Describe() + ")" +
                                 (output.empty() ? "" : ":\n" + output));
}

Result<std::string> SitePackages(const VenvPaths& paths) {
  ProcessSpec spec;
  spec.argv = {paths.python(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"};
  spec.env = EnvironmentWith(paths.ActivatedEnv());
  PN_ASSIGN_OR_RETURN(ProcessResult r, RunProcess(spec));
  if (!r.succeeded()) return FailedStep("asking the venv for its site-packages", r);
  std::string dir = r.out;
  while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
  if (dir.empty()) return InternalError("the venv's python printed no site-packages directory");
  return dir;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> VenvPaths::ActivatedEnv() const {
  const char* path = std::getenv("PATH");
  return {{"VIRTUAL_ENV", venv_dir},
          {"PATH", venv_dir + "/bin" + (path != nullptr ? std::string(":") + path : "")},
          {"PYTHONNOUSERSITE", "1"},
          {"PIP_DISABLE_PIP_VERSION_CHECK", "1"}};
}

Status CreateVenv(const std::string& python, const VenvPaths& paths, const CancelSignal* cancel) {
  ProcessSpec spec;
  spec.argv = {python, "-m", "venv", paths.venv_dir};
  spec.env = EnvironmentWith({});
  auto r = RunProcess(spec, cancel);
  if (!r.ok()) {
    return FailedPreconditionError("creating the virtual environment with " + python + ": " +
                                   r.status().message() + " (choose another with --python)");
  }
  if (!r->succeeded()) return FailedStep("creating the virtual environment (" + python + " -m venv)", *r);
  return OkStatus();
}

Status InstallHelperPackages(const VenvPaths& paths) {
  PN_ASSIGN_OR_RETURN(std::string site, SitePackages(paths));
  std::map<std::string, std::vector<std::string>> records;  // top-level dir -> files
  for (const EmbeddedFile& f : EmbeddedPythonFiles()) {
    PN_RETURN_IF_ERROR(WriteFile(fs::path(site) / f.path, f.content));
    std::string path = f.path;
    records[path.substr(0, path.find('/'))].push_back(path);
  }
  for (const Distribution& d : kDistributions) {
    std::string info = std::string(d.dist_dir) + "-" + d.version + ".dist-info";
    fs::path dir = fs::path(site) / info;
    std::string metadata = std::string("Metadata-Version: 2.1\nName: ") + d.name +
                           "\nVersion: " + d.version + "\nSummary: " + d.summary + "\n";
    PN_RETURN_IF_ERROR(WriteFile(dir / "METADATA", metadata));
    PN_RETURN_IF_ERROR(WriteFile(dir / "INSTALLER", "start-pacifica-notifications-consumer\n"));
    PN_RETURN_IF_ERROR(WriteFile(dir / "top_level.txt", std::string(d.top_level) + "\n"));
    std::string record;
    for (const auto& file : records[d.top_level]) record += file + ",,\n";
    for (const char* name : {"METADATA", "INSTALLER", "top_level.txt", "RECORD"}) {
      record += info + "/" + name + ",,\n";
    }
    PN_RETURN_IF_ERROR(WriteFile(dir / "RECORD", record));
  }
  return OkStatus();
}

Status RunInitScript(const VenvPaths& paths, const CancelSignal* cancel) {
  std::error_code ec;
  if (!fs::exists(fs::path(paths.consumer_dir) / "init.sh", ec)) return OkStatus();
  ProcessSpec spec;
  spec.argv = {"sh", "init.sh"};
  spec.cwd = paths.consumer_dir;
  spec.env = EnvironmentWith(paths.ActivatedEnv());
  PN_ASSIGN_OR_RETURN(ProcessResult r, RunProcess(spec, cancel));
  if (!r.succeeded()) return FailedStep("init.sh", r);
  return OkStatus();
}

Status PipInstallRequirements(const VenvPaths& paths, const std::vector<std::string>& pip_args,
                              const CancelSignal* cancel) {
  std::error_code ec;
  if (!fs::exists(fs::path(paths.consumer_dir) / "requirements.txt", ec)) return OkStatus();
  ProcessSpec spec;
  spec.argv = {paths.python(), "-m", "pip", "install", "--no-input", "-r", "requirements.txt"};
  spec.argv.insert(spec.argv.end(), pip_args.begin(), pip_args.end());
  spec.cwd = paths.consumer_dir;
  spec.env = EnvironmentWith(paths.ActivatedEnv());
  PN_ASSIGN_OR_RETURN(ProcessResult r, RunProcess(spec, cancel));
  if (!r.succeeded()) {
    return FailedStep("pip install -r requirements.txt (add --pip-arg options such as "
                      "--pip-arg=--no-index --pip-arg=--find-links=DIR when there is no "
                      "package index)",
                      r);
  }
  return OkStatus();
}

}  // namespace pn::consumer
