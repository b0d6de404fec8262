#include "common/percent_encoding.h"

#include <gtest/gtest.h>

namespace pn {
namespace {

TEST(PercentDecodeTest, DecodesHexPairsInAnyCase) {
  EXPECT_EQ(*PercentDecode("a%20b%2fc%2F"), "a b/c/");
}

TEST(PercentDecodeTest, RejectsTruncatedEscape) {
  EXPECT_EQ(PercentDecode("ab%4").status(),
            InvalidArgumentError("'%' at offset 2 is not followed by two hex digits"));
}

TEST(PercentDecodeTest, RejectsNonHexEscape) {
  EXPECT_EQ(PercentDecode("%zz").status(),
            InvalidArgumentError("'%' at offset 0 is not followed by two hex digits"));
}

TEST(PercentDecodeTest, PlusIsNotASpaceInStrictDecoding) { EXPECT_EQ(*PercentDecode("a+b"), "a+b"); }

TEST(PercentDecodeLenientTest, KeepsMalformedEscapesAsTheyAre) {
  EXPECT_EQ(PercentDecodeLenient("100%"), "100%");
  EXPECT_EQ(PercentDecodeLenient("%zz%41"), "%zzA");
  EXPECT_EQ(PercentDecodeLenient("%4"), "%4");
}

TEST(PercentDecodeLenientTest, PlusAsSpaceOnlyForForms) {
  EXPECT_EQ(PercentDecodeLenient("a+b%2B"), "a+b+");
  EXPECT_EQ(PercentDecodeLenient("a+b%2B", /*plus_as_space=*/true), "a b+");
}

}  // namespace
}  // namespace pn
