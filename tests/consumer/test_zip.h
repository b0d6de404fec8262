// Test helper: writes zip archives with libarchive, including the hostile entries (absolute
// names, "..", escaping links) that ordinary tools refuse to create.
#pragma once

#include <string>
#include <vector>

namespace pn::consumer::testing {

struct ZipEntry {
  enum class Kind { kFile, kSymlink, kHardlink, kDirectory } kind = Kind::kFile;
  std::string name;
  std::string content;  // file bytes, or the link target
  int mode = 0644;
};

// Aborts the test binary on failure (a broken fixture, not a behaviour under test).
void WriteZip(const std::string& path, const std::vector<ZipEntry>& entries);

// Every regular file of a directory (recursively), named relative to it.
std::vector<ZipEntry> EntriesFromDirectory(const std::string& dir);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace pn::consumer::testing
