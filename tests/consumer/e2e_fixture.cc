#include "e2e_fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <regex>

#include "test_zip.h"

namespace pn::consumer::testing {

namespace fs = std::filesystem;
using std::chrono::seconds;

void ConsumerE2eTest::SetUp() {
  root_ = fs::temp_directory_path() /
          ("pn-consumer-e2e-" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
           std::to_string(getpid()));
  fs::remove_all(root_);
  fs::create_directories(root_ / "ingest");
  work_dir_ = (root_ / "work").string();
  ingest_dir_ = (root_ / "ingest").string();
}

void ConsumerE2eTest::TearDown() {
  cartd_.reset();
  ingest_.reset();
  producer_.reset();
  if (!HasFailure()) fs::remove_all(root_);
}

std::unique_ptr<BackgroundProcess> ConsumerE2eTest::StartFake(const std::string& script,
                                                              std::vector<std::string> args,
                                                              int* port) {
  std::vector<std::string> argv = {"/usr/bin/python3", std::string(PN_CONSUMER_FAKES_DIR) + "/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = std::make_unique<BackgroundProcess>(argv, (root_ / (script + ".stderr")).string());
  auto line = p->WaitForLine("port=", seconds(30));
  EXPECT_TRUE(line.has_value()) << script << " did not start: " << p->Stderr();
  *port = line ? std::stoi(line->substr(5)) : 0;
  return p;
}

void ConsumerE2eTest::StartServices(std::vector<std::string> cartd_args,
                                    std::vector<std::string> ingest_args, bool fake_producer) {
  cartd_args.insert(cartd_args.begin(), {"--store", std::string(PN_TESTDATA_DIR) + "/consumer/archive"});
  ingest_args.insert(ingest_args.begin(), {"--out", ingest_dir_});
  cartd_ = StartFake("fake_cartd.py", cartd_args, &cartd_port_);
  ingest_ = StartFake("fake_ingest.py", ingest_args, &ingest_port_);
  if (fake_producer) producer_ = StartFake("fake_producer.py", {}, &producer_port_);
  std::string ingest = "http://127.0.0.1:" + std::to_string(ingest_port_);
  WriteFile((root_ / "config.ini").string(),
            "[endpoints]\nupload_url = " + ingest + "/upload\nupload_status_url = " + ingest +
                "/get_state\ndownload_url = http://127.0.0.1:" + std::to_string(cartd_port_) +
                "\n[authentication]\ntype = None\n");
}

std::string ConsumerE2eTest::MakeZip(const std::map<std::string, std::string>& replace) {
  auto entries = EntriesFromDirectory(std::string(PN_TESTDATA_DIR) + "/consumer/uppercase");
  for (auto& e : entries) {
    if (auto it = replace.find(e.name); it != replace.end()) e.content = it->second;
  }
  for (const auto& [name, content] : replace) {
    bool present = false;
    for (const auto& e : entries) present = present || e.name == name;
    if (!present) entries.push_back({ZipEntry::Kind::kFile, name, content});
  }
  std::string zip = (root_ / "consumer.zip").string();
  WriteZip(zip, entries);
  return zip;
}

std::unique_ptr<BackgroundProcess> ConsumerE2eTest::StartRunner(const std::string& zip,
                                                                std::vector<std::string> extra,
                                                                std::vector<std::string> env) {
  std::vector<std::string> argv = {std::string(PN_BINARY_DIR) + "/start-pacifica-notifications-consumer",
                                   zip,
                                   "--producer-url", ProducerUrl(),
                                   "--producer-user", "dmlb2000",
                                   "--port", "0",
                                   "--config-ini", (root_ / "config.ini").string(),
                                   "--pip-arg=--no-index",
                                   "--poll-interval", "0.02",
                                   "--work-dir", work_dir_};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<BackgroundProcess>(argv, (root_ / "runner.stderr").string(), env);
}

void ConsumerE2eTest::ExpectReady(BackgroundProcess& runner) {
  auto line = runner.WaitForLine("ready ", seconds(120));
  ASSERT_TRUE(line.has_value()) << "runner did not become ready:\n" << runner.Stderr();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*line, m, std::regex("port=(\\d+) subscription=(\\S+)"))) << *line;
  runner_port_ = std::stoi(m[1]);
  subscription_ = m[2];
}

std::string ConsumerE2eTest::Push(const std::string& event) {
  HttpReply reply = HttpCall("POST", ProducerUrl() + "/_push", event);
  EXPECT_EQ(reply.status, 200) << reply.body;
  auto deliveries = ParseJson(reply.body);
  if (!deliveries.ok() || deliveries->size() != 1) {
    ADD_FAILURE() << "expected one delivery, got " << reply.body;
    return "";
  }
  EXPECT_EQ((*deliveries)[0]["status"], 200) << reply.body;
  auto id = ParseJson((*deliveries)[0]["body"].get<std::string>());
  return id.ok() && id->is_string() ? id->get<std::string>() : "";
}

Json ConsumerE2eTest::WaitForJob(const std::string& id) {
  std::string base = "http://127.0.0.1:" + std::to_string(runner_port_);
  std::string state;
  bool done = WaitUntil(
      [&] {
        state = HttpCall("GET", base + "/status/" + id).body;
        return state != "\"202 Accepted\"" && state != "\"102 Processing\"";
      },
      seconds(120));
  EXPECT_TRUE(done) << "job " << id << " still " << state;
  auto record = ParseJson(HttpCall("GET", base + "/get/" + id).body);
  return record.ok() ? *record : Json();
}

Json ConsumerE2eTest::ProducerSubscriptions() {
  auto parsed = ParseJson(HttpCall("GET", ProducerUrl() + "/_subscriptions").body);
  return parsed.ok() ? *parsed : Json();
}

std::optional<std::string> TarMember(const std::string& tar_path, const std::string& name) {
  archive* a = archive_read_new();
  archive_read_support_format_all(a);
  std::optional<std::string> out;
  if (archive_read_open_filename(a, tar_path.c_str(), 1 << 16) == ARCHIVE_OK) {
    archive_entry* e;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      if (name != archive_entry_pathname(e)) continue;
      std::string data(static_cast<size_t>(archive_entry_size(e)), '\0');
      archive_read_data(a, data.data(), data.size());
      out = data;
      break;
    }
  }
  archive_read_free(a);
  return out;
}

}  // namespace pn::consumer::testing
