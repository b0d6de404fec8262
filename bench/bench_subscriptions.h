// Subscriptions for the benchmarks: the same generated jsonpaths feed the match microbenchmark
// (bench/match_bench.cc), the database seeder (bench/seed_subscriptions.cc) and the API-created
// subscriptions of bench/run.sh, so the numbers of all of them describe one workload.
// Every expression is written against testdata/events/example-ingest-event.json: `matching`
// ones match that event, the others differ in exactly one literal so that they never do.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pn::bench {

// Source and project of the example ingest event.
inline constexpr std::string_view kEventSource = "http://metadata.pacifica.org/transactions?_id=1301";
inline constexpr std::string_view kEventProject = "1234a";

enum class Mix {
  // The documented consumer shape (upstream §4.3): eventType test first, then source; the
  // non-matching subscriptions name another source.
  kEventTypeFirst,
  // The same tests with source written first.
  kSourceFirst,
  // Subscriptions that differ only inside `data` (another project), as real Pacifica users
  // subscribe: the top-level tests are the same for all of them.
  kDataFilter,
};

inline std::string_view MixName(Mix mix) {
  switch (mix) {
    case Mix::kEventTypeFirst:
      return "eventtype-first";
    case Mix::kSourceFirst:
      return "source-first";
    case Mix::kDataFilter:
      return "data-filter";
  }
  return "?";
}

inline std::optional<Mix> ParseMix(std::string_view name) {
  for (Mix m : {Mix::kEventTypeFirst, Mix::kSourceFirst, Mix::kDataFilter}) {
    if (MixName(m) == name) return m;
  }
  return std::nullopt;
}

// The jsonpath of subscription number `i` (distinct non-matching literals per i).
inline std::string BenchJsonpath(Mix mix, bool matching, std::size_t i) {
  const std::string source =
      matching ? std::string(kEventSource)
               : "http://metadata.pacifica.org/transactions?_id=" + std::to_string(1000000 + i);
  const std::string files =
      R"(["data"][*][?(@["destinationTable"] = "Files" and @["mimetype"] = "text/plain")]["_id"])";
  switch (mix) {
    case Mix::kEventTypeFirst:
      return R"($[?(@["eventType"] = "org.pacifica.metadata.ingest" and @["source"] = ")" + source +
             R"(")])" + files;
    case Mix::kSourceFirst:
      return R"($[?(@["source"] = ")" + source +
             R"(" and @["eventType"] = "org.pacifica.metadata.ingest")])" + files;
    case Mix::kDataFilter: {
      // Built with append: GCC 12 warns (-Wrestrict, a false positive) on long `+` chains.
      std::string path =
          R"($[?(@["eventType"] = "org.pacifica.metadata.ingest")]["data"][*][?()"
          R"(@["destinationTable"] = "Transactions.project" and @["value"] = ")";
      if (matching) {
        path.append(kEventProject);
      } else {
        path.append("p").append(std::to_string(1000000 + i));
      }
      path.append(R"(")])");
      return path;
    }
  }
  return "$";
}

// Which of `count` subscriptions match: the first `matching` of them spread evenly (so that the
// matching ones are not all at the front of the index).
inline bool IsMatching(std::size_t i, std::size_t count, std::size_t matching) {
  if (matching == 0) return false;
  if (matching >= count) return true;
  const std::size_t stride = count / matching;
  return i % stride == 0 && i / stride < matching;
}

}  // namespace pn::bench
