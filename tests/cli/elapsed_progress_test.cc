// ElapsedProgress: quiet when disabled, a first line at once and a final line when enabled.
#include "cli/elapsed_progress.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace pn::cli {
namespace {

TEST(ElapsedProgress, DisabledWritesNothing) {
  std::ostringstream out;
  {
    ElapsedProgress p(out, false, "dbsync: migrating");
    p.Finish(true);
  }
  EXPECT_EQ(out.str(), "");
}

TEST(ElapsedProgress, EnabledShowsTheLabelAtOnceAndDoneAtTheEnd) {
  std::ostringstream out;
  ElapsedProgress p(out, true, "dbsync: migrating", std::chrono::hours(1));
  p.Finish(true);
  EXPECT_TRUE(std::regex_match(out.str(), std::regex("\rdbsync: migrating\\.\\.\\. \\d+ s\rdbsync: migrating: done in \\d+ s\n")))
      << out.str();
}

TEST(ElapsedProgress, FailureIsShownAsFailedAfter) {
  std::ostringstream out;
  ElapsedProgress p(out, true, "x", std::chrono::hours(1));
  p.Finish(false);
  EXPECT_TRUE(std::regex_match(out.str(), std::regex("\rx\\.\\.\\. \\d+ s\rx: failed after \\d+ s\n")))
      << out.str();
}

TEST(ElapsedProgress, FinishIsIdempotentAndTheDestructorDoesNotRepeatIt) {
  std::ostringstream out;
  {
    ElapsedProgress p(out, true, "x", std::chrono::hours(1));
    p.Finish(true);
    p.Finish(false);
  }
  EXPECT_TRUE(std::regex_match(out.str(), std::regex("\rx\\.\\.\\. \\d+ s\rx: done in \\d+ s\n")))
      << out.str();
}

}  // namespace
}  // namespace pn::cli
