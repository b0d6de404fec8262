// UUIDs as the original accepted and printed them.
// Accepts what Python's uuid.UUID() accepts: 32 hex digits in any case, '-' anywhere, optional
// surrounding braces, optional "urn:" / "uuid:" prefixes. Prints canonical lower-case hyphenated.
// Thread-safety: pure functions (NewUuid4 uses the RandomSource given).
#pragma once

#include <string>
#include <string_view>

#include "common/random.h"
#include "common/status.h"

namespace pn {

// Canonical form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", or InvalidArgument.
Result<std::string> CanonicalUuid(std::string_view text);
// 32 lower-case hex digits, the form peewee stores on SQLite.
std::string UuidHex(std::string_view canonical);
std::string NewUuid4(RandomSource& random);

}  // namespace pn
