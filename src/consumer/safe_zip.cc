#include "consumer/safe_zip.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <vector>

namespace pn::consumer {
namespace {

namespace fs = std::filesystem;

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriterCloser {
  void operator()(archive* a) const { archive_write_free(a); }
};

// Name components after dropping "" and "."; fails on ".." or an absolute name.
Status CheckedParts(const std::string& name, std::vector<std::string>* parts) {
  if (name.empty()) return InvalidArgumentError("consumer.zip has an entry with an empty name");
  if (name.front() == '/' || name.front() == '\\' || (name.size() > 1 && name[1] == ':')) {
    return InvalidArgumentError("consumer.zip entry \"" + name + "\" has an absolute path");
  }
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find_first_of("/\\", start);
    if (end == std::string::npos) end = name.size();
    std::string part = name.substr(start, end - start);
    if (part == "..") {
      return InvalidArgumentError("consumer.zip entry \"" + name + "\" contains \"..\"");
    }
    if (!part.empty() && part != ".") parts->push_back(part);
    start = end + 1;
  }
  return OkStatus();
}

// A link target relative to the link's directory must stay inside the extraction root.
Status CheckLinkTarget(const std::string& name, const std::vector<std::string>& entry_parts,
                       const std::string& target, bool hard) {
  if (target.empty() || target.front() == '/') {
    return InvalidArgumentError("consumer.zip entry \"" + name + "\" links outside the archive (to \"" +
                                target + "\")");
  }
  // Hard links in zips name a path from the root; symbolic ones are relative to the link.
  int depth = hard ? 0 : static_cast<int>(entry_parts.size()) - 1;
  size_t start = 0;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string::npos) end = target.size();
    std::string part = target.substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) {
        return InvalidArgumentError("consumer.zip entry \"" + name +
                                    "\" links outside the archive (to \"" + target + "\")");
      }
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return OkStatus();
}

std::string ArchiveError(archive* a) {
  const char* msg = archive_error_string(a);
  return msg != nullptr ? msg : "unknown libarchive error";
}

}  // namespace

Status ExtractConsumerZip(const std::string& zip_path, const std::string& dest,
                          const ZipLimits& limits) {
  std::error_code ec;
  if (!fs::is_regular_file(zip_path, ec)) {
    return NotFoundError("consumer zip \"" + zip_path + "\" does not exist or is not a file");
  }
  std::unique_ptr<archive, ArchiveCloser> reader(archive_read_new());
  archive_read_support_format_zip(reader.get());
  if (archive_read_open_filename(reader.get(), zip_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return InvalidArgumentError("cannot open \"" + zip_path + "\" as a zip archive: " +
                                ArchiveError(reader.get()));
  }
  std::unique_ptr<archive, WriterCloser> writer(archive_write_disk_new());
  archive_write_disk_set_options(
      writer.get(), ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                        ARCHIVE_EXTRACT_NO_OVERWRITE | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME);
  // Entry names were checked above and are rewritten to absolute paths under the (symlink-free,
  // canonical) destination, so SECURE_NOABSOLUTEPATHS would refuse our own rewrite.
  archive_write_disk_set_standard_lookup(writer.get());

  const fs::path root = fs::canonical(dest, ec);
  if (ec) return NotFoundError("extraction folder \"" + dest + "\": " + ec.message());
  uint64_t total = 0, entries = 0;
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(reader.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      return InvalidArgumentError("consumer.zip is damaged: " + ArchiveError(reader.get()));
    }
    const char* raw_name = archive_entry_pathname(entry);
    std::string name = raw_name != nullptr ? raw_name : "";
    if (++entries > limits.max_entries) {
      return InvalidArgumentError("consumer.zip has more than " +
                                  std::to_string(limits.max_entries) + " entries");
    }
    std::vector<std::string> parts;
    PN_RETURN_IF_ERROR(CheckedParts(name, &parts));
    if (parts.empty()) continue;  // "./"
    mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFLNK) {
      const char* t = archive_entry_symlink(entry);
      PN_RETURN_IF_ERROR(CheckLinkTarget(name, parts, t != nullptr ? t : "", false));
    } else if (const char* h = archive_entry_hardlink(entry); h != nullptr) {
      std::vector<std::string> ignored;
      PN_RETURN_IF_ERROR(CheckedParts(h, &ignored));
      PN_RETURN_IF_ERROR(CheckLinkTarget(name, parts, h, true));
    } else if (type != AE_IFREG && type != AE_IFDIR) {
      return InvalidArgumentError("consumer.zip entry \"" + name +
                                  "\" is not a regular file, directory or link");
    }
    // Sizes in the header can lie; the data loop below counts real bytes as well.
    if (archive_entry_size_is_set(entry)) {
      total += static_cast<uint64_t>(archive_entry_size(entry));
      if (total > limits.max_total_bytes) {
        return InvalidArgumentError("consumer.zip is too large: more than " +
                                    std::to_string(limits.max_total_bytes) +
                                    " bytes uncompressed (at entry \"" + name + "\")");
      }
    }
    fs::path target = root;
    for (const auto& p : parts) target /= p;
    archive_entry_set_pathname(entry, target.c_str());
    if (const char* h = archive_entry_hardlink(entry); h != nullptr) {
      std::vector<std::string> hp;
      PN_RETURN_IF_ERROR(CheckedParts(h, &hp));
      fs::path link_target = root;
      for (const auto& p : hp) link_target /= p;
      archive_entry_set_hardlink(entry, link_target.c_str());
    }
    // Owner-writable, no set-id bits, whatever the archive says.
    archive_entry_set_perm(entry, (archive_entry_perm(entry) & 0755) | 0600 |
                                      (type == AE_IFDIR ? 0100 : 0));
    if (archive_write_header(writer.get(), entry) < ARCHIVE_WARN) {
      return InvalidArgumentError("cannot extract consumer.zip entry \"" + name +
                                  "\": " + ArchiveError(writer.get()));
    }
    uint64_t written = 0;
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    while ((rc = archive_read_data_block(reader.get(), &buf, &size, &offset)) == ARCHIVE_OK) {
      written += size;
      bool declared = archive_entry_size_is_set(entry);
      if (written > limits.max_total_bytes ||
          (declared && written > static_cast<uint64_t>(archive_entry_size(entry))) ||
          (!declared && total + written > limits.max_total_bytes)) {
        return InvalidArgumentError("consumer.zip is too large: entry \"" + name +
                                    "\" expands beyond " +
                                    std::to_string(limits.max_total_bytes) + " bytes");
      }
      if (archive_write_data_block(writer.get(), buf, size, offset) < ARCHIVE_WARN) {
        return InternalError("writing \"" + name + "\": " + ArchiveError(writer.get()));
      }
    }
    if (rc != ARCHIVE_EOF) {
      return InvalidArgumentError("consumer.zip entry \"" + name +
                                  "\" is damaged: " + ArchiveError(reader.get()));
    }
    if (!archive_entry_size_is_set(entry)) {
      total += written;
      if (total > limits.max_total_bytes) {
        return InvalidArgumentError("consumer.zip is too large: more than " +
                                    std::to_string(limits.max_total_bytes) +
                                    " bytes uncompressed (at entry \"" + name + "\")");
      }
    }
    if (archive_write_finish_entry(writer.get()) < ARCHIVE_WARN) {
      return InternalError("finishing \"" + name + "\": " + ArchiveError(writer.get()));
    }
  }
  for (const char* required : {"__main__.py", "jsonpath2.txt"}) {
    if (!fs::is_regular_file(root / required, ec)) {
      return InvalidArgumentError(std::string("consumer.zip has no ") + required +
                                  " at its top level (a consumer needs __main__.py and "
                                  "jsonpath2.txt; init.sh and requirements.txt are optional)");
    }
  }
  return OkStatus();
}

}  // namespace pn::consumer
