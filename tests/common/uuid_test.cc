#include "common/uuid.h"

#include <gtest/gtest.h>

namespace pn {
namespace {

constexpr const char* kCanonical = "c2ddb9f9-20d6-4864-8750-2749a1dd1213";

TEST(UuidTest, AcceptsWhatPythonUuidAccepts) {
  EXPECT_EQ(*CanonicalUuid(kCanonical), kCanonical);
  EXPECT_EQ(*CanonicalUuid("C2DDB9F920D6486487502749A1DD1213"), kCanonical);
  EXPECT_EQ(*CanonicalUuid("{c2ddb9f9-20d6-4864-8750-2749a1dd1213}"), kCanonical);
  EXPECT_EQ(*CanonicalUuid("urn:uuid:c2ddb9f9-20d6-4864-8750-2749a1dd1213"), kCanonical);
  EXPECT_EQ(*CanonicalUuid("c2-ddb9f920d6486487502749a1dd1213"), kCanonical);
}

TEST(UuidTest, RejectsMalformed) {
  EXPECT_EQ(CanonicalUuid("1234").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(CanonicalUuid("g2ddb9f920d6486487502749a1dd1213").ok());
  EXPECT_FALSE(CanonicalUuid("").ok());
}

TEST(UuidTest, HexFormDropsDashes) {
  EXPECT_EQ(UuidHex(kCanonical), "c2ddb9f920d6486487502749a1dd1213");
}

TEST(UuidTest, NewUuid4IsVersion4AndCanonical) {
  SeededRandom random(42);
  std::string id = NewUuid4(random);
  EXPECT_EQ(*CanonicalUuid(id), id);
  EXPECT_EQ(id[14], '4');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
  EXPECT_NE(NewUuid4(random), id);
}

}  // namespace
}  // namespace pn
