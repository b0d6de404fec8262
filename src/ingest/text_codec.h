// Byte-level helpers for /receive: UTF-8 validation and base64 for non-text binary-mode bodies
// (percent-decoding of binary-mode header values is common/percent_encoding.h).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace pn::ingest {

// Offset of the first byte that breaks strict UTF-8 (overlong forms, surrogates and code points
// above U+10FFFF included), or nullopt when `s` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// RFC 4648 base64 with padding.
std::string Base64Encode(std::string_view bytes);

}  // namespace pn::ingest
