// libFuzzer target: "<JSON document>\0<expression>". Parse and evaluate must never crash, and the
// Matches() fast path must agree with Evaluate().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "json/json.h"
#include "jsonpath/jsonpath.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  if (split == std::string_view::npos) return 0;
  auto doc = pn::ParseJson(input.substr(0, split));
  auto path = pn::jsonpath::Parse(input.substr(split + 1));
  if (!doc.ok() || !path.ok()) return 0;
  std::vector<pn::jsonpath::Match> partial;
  auto all = pn::jsonpath::Evaluate(**path, *doc, &partial);
  auto matched = pn::jsonpath::Matches(**path, *doc);
  if (all.ok()) {
    if (!matched.ok() || *matched != !all->empty()) std::abort();
  } else if (partial.empty()) {
    if (matched.ok()) std::abort();  // an error before the first result is an error for both
  } else if (!matched.ok() || !*matched) {
    std::abort();  // a result came before the error: Matches stops there
  }
  return 0;
}
