#include "consumer/process.h"

#include <gtest/gtest.h>

#include <thread>

namespace pn::consumer {
namespace {

ProcessSpec Shell(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", script};
  spec.env = EnvironmentWith({{"PN_TEST_VALUE", "forty-two"}});
  return spec;
}

TEST(ProcessTest, CapturesStdoutStderrAndExitCode) {
  auto r = RunProcess(Shell("echo out; echo err >&2; exit 3"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->Describe(), "exit status 3");
}

TEST(ProcessTest, PassesTheEnvironment) {
  auto r = RunProcess(Shell("printf %s \"$PN_TEST_VALUE\""));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "forty-two");
}

TEST(ProcessTest, RunsInTheWorkingDirectory) {
  ProcessSpec spec = Shell("pwd");
  spec.cwd.assign(1, '/');  // (a literal trips a GCC 12 -Wrestrict false positive)
  auto r = RunProcess(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "/\n");
}

TEST(ProcessTest, AMissingProgramIsUnavailableWithTheReason) {
  ProcessSpec spec;
  spec.argv = {"/nonexistent/program"};
  spec.env = EnvironmentWith({});
  EXPECT_EQ(RunProcess(spec).status(),
            UnavailableError("cannot run /nonexistent/program: No such file or directory"));
}

TEST(ProcessTest, TimeoutStopsTheProcessGroup) {
  ProcessSpec spec = Shell("sleep 600 & wait");
  spec.timeout = std::chrono::milliseconds(100);
  spec.kill_grace = std::chrono::milliseconds(100);
  auto r = RunProcess(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->succeeded());
  EXPECT_EQ(r->Describe(), "timed out");
}

TEST(ProcessTest, CancelStopsARunningProcess) {
  CancelSignal cancel;
  ProcessSpec spec = Shell("echo started; exec sleep 600");
  std::thread canceller([&] { cancel.Cancel(); });
  auto r = RunProcess(spec, &cancel);
  canceller.join();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
  EXPECT_EQ(r->Describe(), "cancelled");
}

TEST(ProcessTest, OutputBeyondTheLimitIsDropped) {
  ProcessSpec spec = Shell("head -c 5000 /dev/zero | tr '\\0' a");
  spec.output_limit = 100;
  auto r = RunProcess(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, std::string(100, 'a'));
}

}  // namespace
}  // namespace pn::consumer
