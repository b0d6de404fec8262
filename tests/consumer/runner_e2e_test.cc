// End-to-end tests of start-pacifica-notifications-consumer against fake cartd, ingest and
// producer services: the documented upper-casing consumer and the failure cases of issue 6.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/random.h"
#include "consumer/job_queue.h"
#include "e2e_fixture.h"
#include "test_zip.h"

namespace pn::consumer::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

std::string UppercaseEvent() {
  return ReadFile(std::string(PN_TESTDATA_DIR) + "/consumer/uppercase-event.json");
}

bool HasLiveSubscription(const Json& subs) {
  for (const auto& s : subs) {
    if (s["deleted"].is_null()) return true;
  }
  return false;
}

TEST_F(ConsumerE2eTest, UppercaseConsumerUploadsTheUpperCasedFile) {
  StartServices();
  auto runner = StartRunner(MakeZip());
  ExpectReady(*runner);
  Json subs = ProducerSubscriptions();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0]["uuid"], subscription_);
  EXPECT_EQ(subs[0]["user"], "dmlb2000");
  EXPECT_EQ(subs[0]["target_url"], "http://127.0.0.1:" + std::to_string(runner_port_) + "/receive");

  Json job = WaitForJob(Push(UppercaseEvent()));
  ASSERT_EQ(job["taskStatus"], "200 OK") << job.dump(2);
  ASSERT_EQ(job["uploadJobIDs"], Json::parse(R"(["1302"])"));
  std::string bundle = ingest_dir_ + "/1302.tar";
  EXPECT_EQ(TarMember(bundle, "data/lipsum.txt"),
            "LOREM IPSUM DOLOR SIT AMET, CONSECTETUR ADIPISCING ELIT.\n");
  auto metadata = ParseJson(TarMember(bundle, "metadata.txt").value_or(""));
  ASSERT_TRUE(metadata.ok());
  Json files = Json::array(), provenance = Json::array(), project;
  for (const auto& item : *metadata) {
    if (item["destinationTable"] == "Files") files.push_back(item);
    if (item["destinationTable"] == "TransactionKeyValue" && item["key"] == "Transactions._id") {
      provenance.push_back(item["value"]);
    }
    if (item["destinationTable"] == "Transactions.project") project = item["value"];
  }
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0]["name"], "lipsum.txt");
  EXPECT_EQ(files[0]["subdir"], "");
  EXPECT_EQ(files[0]["size"], 57);
  EXPECT_EQ(files[0]["hashtype"], "sha1");
  EXPECT_EQ(files[0]["hashsum"], "cef7e4dc88cbc8dfb9f4a6cce11a9a4459a164aa");
  EXPECT_EQ(files[0]["mimetype"], "text/plain");
  EXPECT_EQ(provenance, Json::parse("[1301]"));
  EXPECT_EQ(project, "1234a");  // the example's Transactions.proposal, under its current name

  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->WaitForExit(seconds(60)), 0) << runner->Stderr();
  EXPECT_FALSE(HasLiveSubscription(ProducerSubscriptions()));
  EXPECT_FALSE(fs::exists(work_dir_)) << "the work folder was created by the runner and must go";
}

TEST_F(ConsumerE2eTest, AnEventThatDoesNotMatchIsAcceptedButNotRun) {
  StartServices();
  auto runner = StartRunner(MakeZip());
  ExpectReady(*runner);
  Json job = WaitForJob(Push(ReadFile(std::string(PN_TESTDATA_DIR) + "/events/example-orm-event.json")));
  EXPECT_EQ(job["taskStatus"], "422 Unprocessable Entity");
  EXPECT_EQ(job["error"], "the event does not match this consumer's jsonpath2.txt");
  EXPECT_TRUE(fs::is_empty(ingest_dir_));
}

TEST_F(ConsumerE2eTest, ZipWithAnAbsolutePathStopsStartUp) {
  StartServices();
  auto entries = EntriesFromDirectory(std::string(PN_TESTDATA_DIR) + "/consumer/uppercase");
  entries.push_back({ZipEntry::Kind::kFile, "/tmp/pn-evil.py", "x"});
  std::string zip = (root_ / "consumer.zip").string();
  WriteZip(zip, entries);
  auto runner = StartRunner(zip);
  EXPECT_EQ(runner->WaitForExit(seconds(60)), 1);
  EXPECT_NE(runner->Stderr().find("start-up step 1 (extract consumer.zip): consumer.zip entry "
                                  "\"/tmp/pn-evil.py\" has an absolute path"),
            std::string::npos)
      << runner->Stderr();
  EXPECT_EQ(ProducerSubscriptions(), Json::array());
  EXPECT_FALSE(fs::exists(work_dir_));
}

TEST_F(ConsumerE2eTest, ZipWithALinkEscapingStopsStartUp) {
  StartServices();
  auto entries = EntriesFromDirectory(std::string(PN_TESTDATA_DIR) + "/consumer/uppercase");
  entries.push_back({ZipEntry::Kind::kSymlink, "data/secrets", "../../../etc"});
  std::string zip = (root_ / "consumer.zip").string();
  WriteZip(zip, entries);
  auto runner = StartRunner(zip);
  EXPECT_EQ(runner->WaitForExit(seconds(60)), 1);
  EXPECT_NE(runner->Stderr().find("consumer.zip entry \"data/secrets\" links outside the archive"),
            std::string::npos)
      << runner->Stderr();
}

TEST_F(ConsumerE2eTest, OversizedZipStopsStartUp) {
  StartServices();
  auto runner = StartRunner(MakeZip({{"big.bin", std::string(4096, 'x')}}),
                            {"--max-zip-bytes", "2048"});
  EXPECT_EQ(runner->WaitForExit(seconds(60)), 1);
  EXPECT_NE(runner->Stderr().find("consumer.zip is too large: more than 2048 bytes uncompressed"),
            std::string::npos)
      << runner->Stderr();
}

TEST_F(ConsumerE2eTest, AFailingInitShStopsStartUpAndUndoesIt) {
  StartServices();
  auto runner = StartRunner(MakeZip({{"init.sh", "echo 'libfoo is missing' >&2\nexit 3\n"}}));
  EXPECT_EQ(runner->WaitForExit(seconds(120)), 1);
  EXPECT_NE(runner->Stderr().find(
                "start-up step 3 (init.sh): init.sh failed (exit status 3):\nlibfoo is missing"),
            std::string::npos)
      << runner->Stderr();
  EXPECT_EQ(ProducerSubscriptions(), Json::array());
  EXPECT_FALSE(fs::exists(work_dir_));
}

TEST_F(ConsumerE2eTest, AFailingPipInstallStopsStartUp) {
  StartServices();
  auto runner = StartRunner(MakeZip({{"requirements.txt", "pn-no-such-package-anywhere\n"}}));
  EXPECT_EQ(runner->WaitForExit(seconds(120)), 1);
  std::string err = runner->Stderr();
  EXPECT_NE(err.find("start-up step 3 (requirements.txt): pip install -r requirements.txt"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("No matching distribution found for pn-no-such-package-anywhere"),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(work_dir_));
}

TEST_F(ConsumerE2eTest, AnEntryPointExitingOneIsRecordedAsFailed) {
  StartServices();
  auto runner = StartRunner(MakeZip(
      {{"__main__.py", "import sys\nprint('working')\nsys.stderr.write('bad input\\n')\nsys.exit(1)\n"}}));
  ExpectReady(*runner);
  Json job = WaitForJob(Push(UppercaseEvent()));
  EXPECT_EQ(job["taskStatus"], "500 Internal Server Error");
  EXPECT_EQ(job["exitCode"], 1);
  EXPECT_EQ(job["stdout"], "working\n");
  EXPECT_EQ(job["stderr"], "bad input\n");
  EXPECT_EQ(job["error"], "the entry point failed (exit status 1)");
  // The runner is still serving and takes the next event.
  EXPECT_EQ(WaitForJob(Push(UppercaseEvent()))["taskStatus"], "500 Internal Server Error");
}

TEST_F(ConsumerE2eTest, ACartdErrorFailsTheJobEvenThoughTheEntryPointExitsZero) {
  StartServices({"--fail", "archive interface is offline"});
  auto runner = StartRunner(MakeZip());
  ExpectReady(*runner);
  Json job = WaitForJob(Push(UppercaseEvent()));
  EXPECT_EQ(job["taskStatus"], "500 Internal Server Error");
  EXPECT_EQ(job["exitCode"], 0);
  std::string error = job["error"].get<std::string>();
  EXPECT_EQ(error.rfind("the entry point exited 0 but download failed: HttpError: cartd cart ", 0), 0u)
      << error;
  EXPECT_NE(error.find("failed: archive interface is offline"), std::string::npos) << error;
  EXPECT_TRUE(fs::is_empty(ingest_dir_));
}

TEST_F(ConsumerE2eTest, AnIngestFailedStateFailsTheJob) {
  StartServices({}, {"--fail-task", "ingest files"});
  auto runner = StartRunner(MakeZip());
  ExpectReady(*runner);
  Json job = WaitForJob(Push(UppercaseEvent()));
  EXPECT_EQ(job["taskStatus"], "500 Internal Server Error");
  std::string error = job["error"].get<std::string>();
  EXPECT_NE(error.find("upload failed: RuntimeError: ingest job 1302 FAILED during 'ingest files': "
                       "simulated failure during ingest files"),
            std::string::npos)
      << error;
}

TEST_F(ConsumerE2eTest, AnUnreachableProducerStopsStartUpAndUndoesIt) {
  StartServices();
  // A port with nobody listening: bind, read the number, close.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int dead_port = ntohs(addr.sin_port);
  close(fd);
  producer_port_ = dead_port;
  auto runner = StartRunner(MakeZip());
  EXPECT_EQ(runner->WaitForExit(seconds(120)), 1);
  EXPECT_NE(runner->Stderr().find("start-up step 6 (register with the producer): cannot reach "
                                  "the producer (POST http://127.0.0.1:" +
                                  std::to_string(dead_port) + "/eventmatch)"),
            std::string::npos)
      << runner->Stderr();
  EXPECT_FALSE(fs::exists(work_dir_));
}

TEST_F(ConsumerE2eTest, SigtermDuringAJobStopsItAfterTheGracePeriod) {
  StartServices();
  std::string marker = (root_ / "job-started").string();
  auto runner = StartRunner(
      MakeZip({{"__main__.py",
                "import os, time\nopen(os.environ['PN_TEST_MARKER'], 'w').close()\ntime.sleep(600)\n"}}),
      {"--grace-period", "0.2", "--keep"}, {"PN_TEST_MARKER=" + marker});
  ExpectReady(*runner);
  std::string id = Push(UppercaseEvent());
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(marker); }, seconds(60)));
  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->WaitForExit(seconds(60)), 0) << runner->Stderr();
  EXPECT_NE(runner->Stderr().find("running jobs did not finish within the grace period and were stopped"),
            std::string::npos)
      << runner->Stderr();
  EXPECT_FALSE(HasLiveSubscription(ProducerSubscriptions()));
  SeededRandom random(1);
  auto queue = JobQueue::Open(work_dir_ + "/jobs.sqlite", SystemClock::Instance(), random);
  ASSERT_TRUE(queue.ok());
  auto job = (*queue)->Get(id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, kJobFailed);
  EXPECT_EQ(job->outcome.error, "stopped: the runner shut down before the entry point finished");
}

}  // namespace
}  // namespace pn::consumer::testing
