// Byte-level helpers for /receive: UTF-8 validation, percent-decoding of CloudEvents binary-mode
// header values, and base64 for non-text binary-mode bodies.
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

// %XX sequences to bytes (any other byte is kept). InvalidArgument naming the offset of a '%'
// not followed by two hex digits.
Result<std::string> PercentDecode(std::string_view s);

// RFC 4648 base64 with padding.
std::string Base64Encode(std::string_view bytes);

}  // namespace pn::ingest
