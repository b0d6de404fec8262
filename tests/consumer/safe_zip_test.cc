#include "consumer/safe_zip.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_zip.h"

namespace pn::consumer {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::WriteZip;
using testing::ZipEntry;
using Kind = ZipEntry::Kind;

class SafeZipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("pn-safezip-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
             "-" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "out");
    zip_ = (root_ / "consumer.zip").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  Status Extract(std::vector<ZipEntry> entries, const ZipLimits& limits = {}) {
    WriteZip(zip_, entries);
    return ExtractConsumerZip(zip_, (root_ / "out").string(), limits);
  }
  static std::vector<ZipEntry> Minimal() {
    return {{Kind::kFile, "__main__.py", "print('hi')\n"}, {Kind::kFile, "jsonpath2.txt", "$"}};
  }
  static std::vector<ZipEntry> With(ZipEntry extra) {
    auto e = Minimal();
    e.push_back(extra);
    return e;
  }

  fs::path root_;
  std::string zip_;
};

TEST_F(SafeZipTest, ExtractsFilesAndSubdirectories) {
  ASSERT_TRUE(Extract(With({Kind::kFile, "lib/helper.py", "x = 1\n"})).ok());
  EXPECT_EQ(ReadFile((root_ / "out" / "__main__.py").string()), "print('hi')\n");
  EXPECT_EQ(ReadFile((root_ / "out" / "lib" / "helper.py").string()), "x = 1\n");
}

TEST_F(SafeZipTest, AcceptsASymlinkThatStaysInside) {
  ASSERT_TRUE(Extract(With({Kind::kSymlink, "lib/main_link.py", "../__main__.py"})).ok());
  EXPECT_TRUE(fs::is_symlink(root_ / "out" / "lib" / "main_link.py"));
}

TEST_F(SafeZipTest, RejectsAnAbsolutePath) {
  EXPECT_EQ(Extract(With({Kind::kFile, "/tmp/evil.py", "x"})),
            InvalidArgumentError("consumer.zip entry \"/tmp/evil.py\" has an absolute path"));
}

TEST_F(SafeZipTest, RejectsDotDot) {
  EXPECT_EQ(Extract(With({Kind::kFile, "lib/../../evil.py", "x"})),
            InvalidArgumentError("consumer.zip entry \"lib/../../evil.py\" contains \"..\""));
  EXPECT_FALSE(fs::exists(root_ / "evil.py"));
}

TEST_F(SafeZipTest, RejectsASymlinkPointingOutside) {
  EXPECT_EQ(Extract(With({Kind::kSymlink, "lib/passwd", "../../etc/passwd"})),
            InvalidArgumentError(
                "consumer.zip entry \"lib/passwd\" links outside the archive (to \"../../etc/passwd\")"));
}

TEST_F(SafeZipTest, RejectsAnAbsoluteSymlink) {
  EXPECT_EQ(Extract(With({Kind::kSymlink, "passwd", "/etc/passwd"})),
            InvalidArgumentError(
                "consumer.zip entry \"passwd\" links outside the archive (to \"/etc/passwd\")"));
}

TEST_F(SafeZipTest, RejectsAnArchiveOverTheSizeLimit) {
  ZipLimits limits;
  limits.max_total_bytes = 1000;
  EXPECT_EQ(Extract(With({Kind::kFile, "big.bin", std::string(2000, 'a')}), limits),
            InvalidArgumentError("consumer.zip is too large: more than 1000 bytes uncompressed "
                                 "(at entry \"big.bin\")"));
}

TEST_F(SafeZipTest, RejectsTooManyEntries) {
  ZipLimits limits;
  limits.max_entries = 2;
  EXPECT_EQ(Extract(With({Kind::kFile, "third.txt", "x"}), limits),
            InvalidArgumentError("consumer.zip has more than 2 entries"));
}

TEST_F(SafeZipTest, RequiresMainPy) {
  EXPECT_EQ(Extract({{Kind::kFile, "jsonpath2.txt", "$"}}),
            InvalidArgumentError("consumer.zip has no __main__.py at its top level (a consumer "
                                 "needs __main__.py and jsonpath2.txt; init.sh and "
                                 "requirements.txt are optional)"));
}

TEST_F(SafeZipTest, RequiresJsonpathTxt) {
  EXPECT_EQ(Extract({{Kind::kFile, "__main__.py", "x"}}),
            InvalidArgumentError("consumer.zip has no jsonpath2.txt at its top level (a consumer "
                                 "needs __main__.py and jsonpath2.txt; init.sh and "
                                 "requirements.txt are optional)"));
}

TEST_F(SafeZipTest, MissingZipIsNotFound) {
  EXPECT_EQ(ExtractConsumerZip((root_ / "nope.zip").string(), (root_ / "out").string()),
            NotFoundError("consumer zip \"" + (root_ / "nope.zip").string() +
                          "\" does not exist or is not a file"));
}

TEST_F(SafeZipTest, RejectsAFileThatIsNotAZip) {
  testing::WriteFile(zip_, "this is not a zip archive at all");
  Status s = ExtractConsumerZip(zip_, (root_ / "out").string());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("cannot open \"" + zip_ + "\" as a zip archive", 0), 0u) << s.message();
}

}  // namespace
}  // namespace pn::consumer
