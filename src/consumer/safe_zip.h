// Extracts consumer.zip into a directory, refusing anything that could write outside it or
// exhaust the disk: absolute names, "..", links (symbolic or hard) that point outside, device
// files, and archives over the size or entry limits. libarchive's secure-extract flags are on as
// a second line of defence behind the explicit checks (which give the clearer messages).
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace pn::consumer {

struct ZipLimits {
  uint64_t max_total_bytes = 512ull << 20;  // uncompressed, summed over entries
  uint64_t max_entries = 10000;
};

// InvalidArgument naming the offending entry for unsafe or oversized archives and for a missing
// __main__.py or jsonpath2.txt at the top level; NotFound when the zip does not exist.
// `dest` must exist and should be empty.
Status ExtractConsumerZip(const std::string& zip_path, const std::string& dest,
                          const ZipLimits& limits = {});

}  // namespace pn::consumer
