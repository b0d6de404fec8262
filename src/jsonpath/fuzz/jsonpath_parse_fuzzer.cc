// libFuzzer target: arbitrary bytes as a jsonpath2 expression. Parsing must never crash; a parsed
// path must render (str(Path)) and that rendering must parse again to the same rendering, except
// where the library's own rendering is not re-parseable (raw strings with escapes, and float
// literals that overflow to infinity, which json.dumps spells Infinity).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "jsonpath/jsonpath.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto path = pn::jsonpath::Parse(text);
  if (!path.ok()) {
    if (path.status().message().find("position ") == std::string::npos) std::abort();
    return 0;
  }
  const std::string rendered = pn::jsonpath::ToString(**path);
  if (rendered.empty() || rendered[0] != '$') std::abort();
  // Renderings without backslashes are re-parseable and stable (escapes are raw, so a rendering
  // with json.dumps-doubled backslashes denotes a different string, as in the Python library).
  if (rendered.find('\\') == std::string::npos && rendered.find("Infinity") == std::string::npos) {
    auto again = pn::jsonpath::Parse(rendered);
    if (!again.ok() || pn::jsonpath::ToString(**again) != rendered) std::abort();
  }
  return 0;
}
