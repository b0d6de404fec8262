#include "common/status.h"

#include <gtest/gtest.h>

namespace pn {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  PN_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, OkByDefault) { EXPECT_TRUE(Status().ok()); }

TEST(StatusTest, ToStringNamesTheCode) {
  EXPECT_EQ(NotFoundError("no row").ToString(), "NOT_FOUND: no row");
}

TEST(StatusTest, WithContextKeepsCode) {
  Status s = UnavailableError("refused").WithContext("connecting");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "connecting: refused");
}

TEST(ResultTest, AssignOrReturnPropagatesTheError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status(), InvalidArgumentError("odd"));
}

}  // namespace
}  // namespace pn
