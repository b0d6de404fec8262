// The jsonpath2 dialect (../../testdata/jsonpath, DESIGN: reference/jsonpath2.md): parse once into
// an immutable compiled Path, evaluate many times.
// Thread-safety: a Path is immutable; Evaluate/Matches may run concurrently on one Path.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "json/json.h"

namespace pn::jsonpath {

class Path;  // compiled expression, defined in the implementation

// InvalidArgument on a lexical/syntax error or unknown function; the message gives the
// 0-based character position and what was expected, e.g.
// "jsonpath syntax error at position 2: expected a member name or '*' after '.', found 'true'".
Result<std::shared_ptr<const Path>> Parse(std::string_view text);

struct Match {
  std::string path;  // normalized path, e.g. $["data"][0]["_id"]
  Json value;
};

// All results in the dialect's order. On an evaluation error (slice step 0, `contains` on
// unsupported types) returns InvalidArgument; `partial` (when given) receives the results
// produced before the error, as the Python library had yielded them.
Result<std::vector<Match>> Evaluate(const Path& path, const Json& doc,
                                    std::vector<Match>* partial = nullptr);

// True iff Evaluate would yield at least one result, without building paths or copying values;
// stops at the first result. An evaluation error before the first result is returned as error.
Result<bool> Matches(const Path& path, const Json& doc);

// The expression as the Python library's str(Path) renders it (spec §10).
std::string ToString(const Path& path);

}  // namespace pn::jsonpath
