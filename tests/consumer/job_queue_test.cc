#include "consumer/job_queue.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/time_format.h"

namespace pn::consumer {
namespace {

namespace fs = std::filesystem;

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pn-jobqueue-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
            "-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    queue_ = Open();
  }
  void TearDown() override {
    queue_.reset();
    fs::remove_all(dir_);
  }
  std::unique_ptr<JobQueue> Open() {
    auto q = JobQueue::Open((dir_ / "jobs.sqlite").string(), clock_, random_);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return std::move(*q);
  }

  fs::path dir_;
  ManualClock clock_{Timestamp(std::chrono::seconds(1589317407))};
  SeededRandom random_{7};
  std::unique_ptr<JobQueue> queue_;
};

TEST_F(JobQueueTest, EnqueuedJobIsQueuedWithItsBody) {
  auto id = queue_->Enqueue(R"({"eventID": "a"})");
  ASSERT_TRUE(id.ok());
  auto job = queue_->Get(*id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, kJobQueued);
  EXPECT_EQ(job->body, R"({"eventID": "a"})");
  EXPECT_EQ(job->created, "2020-05-12T21:03:27");
}

TEST_F(JobQueueTest, ClaimTakesTheOldestQueuedJobAndMarksItRunning) {
  auto first = queue_->Enqueue("{\"n\": 1}");
  auto second = queue_->Enqueue("{\"n\": 2}");
  auto claimed = queue_->ClaimNext();
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->id, *first);
  EXPECT_EQ(queue_->Get(*first)->state, kJobRunning);
  EXPECT_EQ(queue_->Get(*second)->state, kJobQueued);
}

TEST_F(JobQueueTest, ClaimOnAnEmptyQueueGivesNothing) {
  auto claimed = queue_->ClaimNext();
  ASSERT_TRUE(claimed.ok());
  EXPECT_FALSE(claimed->has_value());
}

TEST_F(JobQueueTest, FinishRecordsTheOutcome) {
  auto id = queue_->Enqueue("{}");
  ASSERT_TRUE(queue_->ClaimNext().ok());
  clock_.Advance(std::chrono::seconds(2));
  JobOutcome outcome{kJobFailed, 1, "out", "err", "the entry point failed (exit status 1)", {"1302"}};
  ASSERT_TRUE(queue_->Finish(*id, outcome).ok());
  auto job = queue_->Get(*id);
  EXPECT_EQ(job->state, kJobFailed);
  EXPECT_EQ(job->outcome.exit_code, 1);
  EXPECT_EQ(job->outcome.stdout_text, "out");
  EXPECT_EQ(job->outcome.stderr_text, "err");
  EXPECT_EQ(job->outcome.error, "the entry point failed (exit status 1)");
  EXPECT_EQ(job->outcome.upload_job_ids, std::vector<std::string>{"1302"});
  EXPECT_EQ(job->updated, "2020-05-12T21:03:29");
}

TEST_F(JobQueueTest, UnknownJobIsNotFound) {
  EXPECT_EQ(queue_->Get("00000000-0000-4000-8000-000000000000").status(),
            NotFoundError("no job 00000000-0000-4000-8000-000000000000"));
}

TEST_F(JobQueueTest, ListIsNewestFirst) {
  auto first = queue_->Enqueue("{}");
  auto second = queue_->Enqueue("{}");
  auto jobs = queue_->List();
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].id, *second);
  EXPECT_EQ((*jobs)[1].id, *first);
}

TEST_F(JobQueueTest, JobsInterruptedByACrashAreQueuedAgainOnReopen) {
  auto id = queue_->Enqueue("{}");
  ASSERT_TRUE(queue_->ClaimNext().ok());
  queue_.reset();  // the runner died while the job ran
  queue_ = Open();
  EXPECT_EQ(queue_->Get(*id)->state, kJobQueued);
}

TEST_F(JobQueueTest, EnqueueFinishedStoresANotMatchedJobThatIsNeverClaimed) {
  JobOutcome outcome;
  outcome.state = kJobNotMatched;
  outcome.error = "the event does not match this consumer's jsonpath2.txt";
  auto id = queue_->EnqueueFinished("{}", outcome);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(queue_->Get(*id)->state, kJobNotMatched);
  EXPECT_FALSE(queue_->ClaimNext()->has_value());
}

}  // namespace
}  // namespace pn::consumer
