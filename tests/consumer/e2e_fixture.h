// Fixture for end-to-end tests of start-pacifica-notifications-consumer: fake cartd, ingest and
// producer on loopback port 0, a consumer.zip built from testdata/consumer/uppercase (with
// per-test replacements), and the runner binary with offline pip arguments.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness.h"
#include "json/json.h"

namespace pn::consumer::testing {

class ConsumerE2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts the three fakes; extra arguments per fake.
  void StartServices(std::vector<std::string> cartd_args = {},
                     std::vector<std::string> ingest_args = {}, bool fake_producer = true);
  // A fake started on demand (already running ones are kept).
  std::unique_ptr<BackgroundProcess> StartFake(const std::string& script,
                                               std::vector<std::string> args, int* port);
  // consumer.zip from testdata/consumer/uppercase with files replaced or added.
  std::string MakeZip(const std::map<std::string, std::string>& replace = {});
  // Runs the runner with the common arguments plus `extra`.
  std::unique_ptr<BackgroundProcess> StartRunner(const std::string& zip,
                                                 std::vector<std::string> extra = {},
                                                 std::vector<std::string> env = {});
  // Waits for "ready port=N subscription=U ..." and keeps port and uuid.
  void ExpectReady(BackgroundProcess& runner);
  // Has the fake producer deliver `event` to every live subscription; the consumer's job id.
  std::string Push(const std::string& event);
  // Polls GET /status/<id> until the job is final; returns GET /get/<id>.
  Json WaitForJob(const std::string& id);
  Json ProducerSubscriptions();
  std::string ProducerUrl() const { return "http://127.0.0.1:" + std::to_string(producer_port_); }

  std::filesystem::path root_;
  std::string work_dir_;
  std::string ingest_dir_;
  int cartd_port_ = 0, ingest_port_ = 0, producer_port_ = 0, runner_port_ = 0;
  std::string subscription_;
  std::unique_ptr<BackgroundProcess> cartd_, ingest_, producer_;
};

// Reads one member of a tar file (libarchive); nullopt when absent.
std::optional<std::string> TarMember(const std::string& tar_path, const std::string& name);

}  // namespace pn::consumer::testing
