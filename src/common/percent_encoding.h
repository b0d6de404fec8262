// Percent-decoding (RFC 3986 %XX escapes), shared by URL parsing, request paths and CloudEvents
// binary-mode headers. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace pn {

// Strict: every '%' must start a two-hex-digit escape, else InvalidArgument
// "'%' at offset N is not followed by two hex digits".
Result<std::string> PercentDecode(std::string_view text);

// Lenient, as servers decode paths and form fields: a '%' not followed by two hex digits is kept
// as it is; with plus_as_space, '+' becomes ' ' (application/x-www-form-urlencoded).
std::string PercentDecodeLenient(std::string_view text, bool plus_as_space = false);

}  // namespace pn
