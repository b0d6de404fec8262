#include "ingest/text_codec.h"

#include <gtest/gtest.h>

namespace pn::ingest {
namespace {

TEST(Utf8, AcceptsAsciiAndMultibyte) {
  EXPECT_EQ(FindInvalidUtf8("plain"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::nullopt);
}

TEST(Utf8, RejectsStrayContinuationByte) { EXPECT_EQ(FindInvalidUtf8("ab\x80"), 2u); }
TEST(Utf8, RejectsTruncatedSequence) { EXPECT_EQ(FindInvalidUtf8("a\xe2\x82"), 1u); }
TEST(Utf8, RejectsOverlongForm) { EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u); }
TEST(Utf8, RejectsSurrogate) { EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u); }
TEST(Utf8, RejectsAboveUnicodeRange) { EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u); }

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

}  // namespace
}  // namespace pn::ingest
