// The runner's command line (reference/consumer.md §3.2) and the pacifica-cli config.ini that
// names the cartd/ingest endpoints. Parsing is separate from running so it can be tested alone.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "consumer/endpoint.h"
#include "consumer/producer_client.h"

namespace pn::consumer {

// Where the helper downloads from and uploads to ([endpoints], [authentication] of
// pacifica-cli's config.ini; environment variables as pacifica-cli reads them).
struct PacificaEndpoints {
  std::string download_url = "http://127.0.0.1:8081";
  std::string upload_url = "http://127.0.0.1:8066/upload";
  std::string upload_status_url = "http://127.0.0.1:8066/get_state";
  std::string ca_bundle = "True";
  std::string auth_type = "none";  // none | basic | clientssl
  std::string username, password, cert, key;
};

struct ConsumerOptions {
  std::string consumer_zip;
  ProducerSettings producer;
  std::string name;               // default "consumer:<zip stem>"
  CallbackAuth callback_auth;
  std::optional<Json> extensions;
  std::string address = "127.0.0.1";
  int port = 8069;
  std::string public_url;         // default http://<address>:<port>
  int workers = 1;
  std::string work_dir;           // default: a new temporary directory
  bool keep = false;
  std::string config_ini;
  PacificaEndpoints endpoints;
  std::chrono::milliseconds download_timeout{180000};
  std::chrono::milliseconds upload_timeout{180000};
  std::optional<std::chrono::milliseconds> job_timeout;
  std::chrono::milliseconds grace_period{30000};
  double poll_interval_s = 1.0;
  std::string python = "/usr/bin/python3";
  std::vector<std::string> pip_args;
  uint64_t max_zip_bytes = 512ull << 20;
};

struct ParsedCommandLine {
  ConsumerOptions options;
  bool exit_now = false;  // --help / --version: print `output` and exit 0
  std::string output;
};

// InvalidArgument with one message listing what is wrong (CLI11's text for syntax errors).
Result<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv);

// Reads pacifica-cli's config.ini over the environment defaults (UPLOAD_URL, ... ,
// AUTHENTICATION_USERNAME/PASSWORD override the file as pacifica-cli does).
Result<PacificaEndpoints> LoadPacificaEndpoints(const std::string& ini_path);

}  // namespace pn::consumer
