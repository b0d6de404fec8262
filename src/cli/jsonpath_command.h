// `pacifica-notifications-cmd jsonpath EXPR [FILE]` (DESIGN §6): evaluates one jsonpath2
// expression against a JSON document and prints [{"path": ..., "value": ...}, ...] in match order.
// Thread-safety: uses only its arguments.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace pn::cli {

// Exit codes: 0 evaluated (also with no results), 1 unreadable FILE or invalid JSON input,
// 2 syntax error in EXPR, 3 evaluation error. Messages go to `err`. The document is read from
// `file` when given, else from `in`.
int RunJsonpathCommand(std::string_view expr, const std::optional<std::string>& file,
                       std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace pn::cli
