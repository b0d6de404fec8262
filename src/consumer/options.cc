#include "consumer/options.h"

#include <ini.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

namespace pn::consumer {
namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

std::chrono::milliseconds Seconds(double s) {
  return std::chrono::milliseconds(static_cast<int64_t>(s * 1000.0));
}

}  // namespace

Result<PacificaEndpoints> LoadPacificaEndpoints(const std::string& ini_path) {
  PacificaEndpoints e;
  std::map<std::string, std::string> values;  // "section.key" -> value
  if (!ini_path.empty()) {
    auto handler = [](void* user, const char* section, const char* name, const char* value) {
      (*static_cast<std::map<std::string, std::string>*>(user))[std::string(section) + "." +
                                                               name] = value;
      return 1;
    };
    int rc = ini_parse(ini_path.c_str(), handler, &values);
    if (rc == -1) return NotFoundError("cannot open --config-ini file \"" + ini_path + "\"");
    if (rc != 0) {
      return InvalidArgumentError("--config-ini file \"" + ini_path + "\" has a syntax error on line " +
                                  std::to_string(rc));
    }
  }
  auto pick = [&](const char* key, const char* env, const std::string& fallback) {
    auto it = values.find(key);
    return Env(env, it != values.end() ? it->second : fallback);
  };
  e.upload_url = pick("endpoints.upload_url", "UPLOAD_URL", e.upload_url);
  e.upload_status_url = pick("endpoints.upload_status_url", "UPLOAD_STATUS_URL", e.upload_status_url);
  e.download_url = pick("endpoints.download_url", "DOWNLOAD_URL", e.download_url);
  e.ca_bundle = pick("endpoints.ca_bundle", "CA_BUNDLE", e.ca_bundle);
  e.auth_type = pick("authentication.type", "AUTHENTICATION_TYPE", e.auth_type);
  e.username = pick("authentication.username", "AUTHENTICATION_USERNAME", "");
  e.password = pick("authentication.password", "AUTHENTICATION_PASSWORD", "");
  e.cert = pick("authentication.cert", "AUTHENTICATION_CERT", "");
  e.key = pick("authentication.key", "AUTHENTICATION_KEY", "");
  std::string type = e.auth_type;
  for (auto& c : type) c = static_cast<char>(std::tolower(c));
  if (type == "none" || type.empty()) {
    e.auth_type = "none";
  } else if (type == "basic" || type == "clientssl") {
    e.auth_type = type;
  } else if (type == "gssapi") {
    return InvalidArgumentError("[authentication] type = gssapi is not supported by the consumer "
                                "helper (use basic or clientssl)");
  } else {
    return InvalidArgumentError("[authentication] type \"" + e.auth_type +
                                "\" is unknown (use None, basic or clientssl)");
  }
  return e;
}

Result<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv) {
  ParsedCommandLine parsed;
  ConsumerOptions& o = parsed.options;
  CLI::App app{
      "Runs a Pacifica notifications consumer from a consumer.zip: extracts it, builds its Python "
      "virtual environment, serves POST /receive for the producer, registers the subscription "
      "and runs __main__.py SRC DST for every matching event. SIGINT/SIGTERM unregisters and "
      "cleans up.",
      "start-pacifica-notifications-consumer"};
  app.set_version_flag("--version", std::string(PN_CONSUMER_VERSION));
  std::string callback_auth = "none", extensions;
  double download_timeout = 180, upload_timeout = 180, job_timeout = 0, grace = 30,
         producer_timeout = 30;
  app.add_option("CONSUMER_ZIP", o.consumer_zip, "path to consumer.zip")->required();
  app.add_option("--producer-url", o.producer.url,
                 "base URL of the notifications service (the producer)")
      ->capture_default_str();
  app.add_option("--producer-user", o.producer.user,
                 "user the subscription belongs to (sent in the user header; policy checks "
                 "events against it)")
      ->required();
  app.add_option("--producer-user-header", o.producer.user_header,
                 "header that carries the user to the producer")
      ->capture_default_str();
  app.add_option("--producer-username", o.producer.username,
                 "HTTP Basic user name for reaching the producer (through a proxy)");
  app.add_option("--producer-password", o.producer.password, "HTTP Basic password for the producer");
  app.add_option("--producer-timeout", producer_timeout,
                 "seconds to wait for the producer's answer when (un)registering")
      ->capture_default_str();
  app.add_option("--ca-bundle", o.producer.ca_bundle,
                 "CA file for an https producer, or False to skip verification");
  app.add_option("--name", o.name, "subscription name (default consumer:<zip file stem>)");
  app.add_option("--callback-auth", callback_auth,
                 "how the producer must authenticate its deliveries: none, basic "
                 "(--callback-username/--callback-password) or header "
                 "(--callback-header-type/--callback-credentials)")
      ->check(CLI::IsMember({"none", "basic", "header"}))
      ->capture_default_str();
  app.add_option("--callback-username", o.callback_auth.username, "user for --callback-auth basic");
  app.add_option("--callback-password", o.callback_auth.password, "password for --callback-auth basic");
  app.add_option("--callback-header-type", o.callback_auth.scheme,
                 "Authorization scheme for --callback-auth header (e.g. Bearer)");
  app.add_option("--callback-credentials", o.callback_auth.credentials,
                 "Authorization credentials for --callback-auth header");
  app.add_option("--extensions", extensions,
                 "JSON object merged into every delivered event's extensions");
  app.add_option("-a,--address", o.address, "address the endpoint listens on")->capture_default_str();
  app.add_option("-p,--port", o.port, "port the endpoint listens on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--public-url", o.public_url,
                 "base URL the producer uses to reach this endpoint (default "
                 "http://ADDRESS:PORT); target_url is PUBLIC_URL/receive");
  app.add_option("--workers", o.workers, "jobs run at the same time")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--work-dir", o.work_dir,
                 "folder for the extracted zip, the venv, the job database and job folders "
                 "(default: a new temporary folder)");
  app.add_flag("--keep", o.keep, "leave the work folder in place on exit");
  app.add_option("--config-ini", o.config_ini,
                 "pacifica-cli config.ini with the cartd/ingest [endpoints] and [authentication]");
  app.add_option("--download-timeout", download_timeout, "seconds a download may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--upload-timeout", upload_timeout, "seconds an upload may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--job-timeout", job_timeout, "seconds one __main__.py run may take (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--grace-period", grace,
                 "seconds running jobs get to finish after SIGINT/SIGTERM before they are stopped")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--poll-interval", o.poll_interval_s,
                 "seconds between cartd/ingest status polls")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--python", o.python, "Python 3 interpreter used to create the venv")
      ->capture_default_str();
  app.add_option("--pip-arg", o.pip_args,
                 "extra argument for pip install, repeatable (e.g. --pip-arg=--no-index "
                 "--pip-arg=--find-links=DIR)")
      ->allow_extra_args(false);
  app.add_option("--max-zip-bytes", o.max_zip_bytes, "largest uncompressed consumer.zip accepted")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    parsed.exit_now = true;
    parsed.output = app.help();
    return parsed;
  } catch (const CLI::CallForVersion&) {
    parsed.exit_now = true;
    parsed.output = std::string(PN_CONSUMER_VERSION) + "\n";
    return parsed;
  } catch (const CLI::ParseError& e) {
    return InvalidArgumentError(std::string(e.what()) + "\nRun with --help for usage.");
  }

  std::vector<std::string> problems;
  o.producer.timeout = Seconds(producer_timeout);
  o.download_timeout = Seconds(download_timeout);
  o.upload_timeout = Seconds(upload_timeout);
  if (job_timeout > 0) o.job_timeout = Seconds(job_timeout);
  o.grace_period = Seconds(grace);
  if (o.producer.user.empty()) problems.push_back("--producer-user must not be empty");
  if (o.producer.url.rfind("http://", 0) != 0 && o.producer.url.rfind("https://", 0) != 0) {
    problems.push_back("--producer-url must start with http:// or https://");
  }
  if (callback_auth == "basic") {
    o.callback_auth.type = CallbackAuth::Type::kBasic;
    if (o.callback_auth.username.empty()) {
      problems.push_back("--callback-auth basic needs --callback-username");
    }
  } else if (callback_auth == "header") {
    o.callback_auth.type = CallbackAuth::Type::kHeader;
    if (o.callback_auth.scheme.empty() || o.callback_auth.credentials.empty()) {
      problems.push_back(
          "--callback-auth header needs --callback-header-type and --callback-credentials");
    }
  }
  if (!extensions.empty()) {
    auto parsed_ext = ParseJson(extensions);
    if (!parsed_ext.ok() || !parsed_ext->is_object()) {
      problems.push_back("--extensions must be a JSON object");
    } else {
      o.extensions = *parsed_ext;
    }
  }
  if (o.name.empty()) o.name = "consumer:" + std::filesystem::path(o.consumer_zip).stem().string();
  auto endpoints = LoadPacificaEndpoints(o.config_ini);
  if (!endpoints.ok()) problems.push_back(endpoints.status().message());
  else o.endpoints = *endpoints;
  if (!problems.empty()) {
    std::string msg = "invalid command line:";
    for (const auto& p : problems) msg += "\n  - " + p;
    return InvalidArgumentError(msg);
  }
  return parsed;
}

}  // namespace pn::consumer
