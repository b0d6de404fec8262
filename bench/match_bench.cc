// Per-event match cost of the compiled subscription index (src/match) with 10, 1,000 and
// 100,000 subscriptions, 10 of which match the example ingest event (all of them with 10).
// The index is built the way the server builds it: SubscriptionIndex::Rebuild over a store's
// ListActive (here a minimal in-process SubscriptionStore holding the generated rows).
// Counters: `candidates` = subscriptions evaluated past the index, `matches` = answer size,
// `index_MB` = resident memory the built index added (first build of a size only).
// Mixes: see bench/bench_subscriptions.h.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include "bench/bench_subscriptions.h"
#include "json/json.h"
#include "match/subscription_index.h"

namespace {

using pn::bench::Mix;

// ListActive over a fixed vector; nothing else is needed by SubscriptionIndex::Rebuild.
class VectorSubscriptionStore : public pn::SubscriptionStore {
 public:
  explicit VectorSubscriptionStore(std::vector<pn::Subscription> rows) : rows_(std::move(rows)) {}
  pn::Status Insert(const pn::Subscription&) override { return Unsupported(); }
  pn::Result<std::optional<pn::Subscription>> Find(std::string_view) override {
    return Unsupported();
  }
  pn::Result<std::vector<pn::Subscription>> ListForUser(std::string_view) override {
    return Unsupported();
  }
  pn::Result<std::vector<pn::Subscription>> ListActive() override { return rows_; }
  pn::Status Update(const pn::Subscription&) override { return Unsupported(); }
  pn::Status Disable(std::string_view, pn::Timestamp, std::string_view) override {
    return Unsupported();
  }
  pn::Result<int64_t> CountDisabled() override { return Unsupported(); }
  pn::Result<int64_t> ChangeVersion() override { return int64_t{1}; }

 private:
  static pn::Status Unsupported() {
    return pn::UnimplementedError("not used by the match benchmark");
  }
  std::vector<pn::Subscription> rows_;
};

const pn::Json& ExampleEvent() {
  static const pn::Json event = [] {
    const std::string path = PN_TESTDATA_DIR "/events/example-ingest-event.json";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = pn::ParseJson(text.str());
    if (!in || !doc.ok()) {
      std::cerr << "match_bench: cannot read " << path << "\n";
      std::abort();
    }
    return std::move(doc).value();
  }();
  return event;
}

double ResidentMB() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

struct BuiltIndex {
  Mix mix;
  size_t count = 0;
  std::unique_ptr<VectorSubscriptionStore> store;
  std::unique_ptr<pn::match::SubscriptionIndex> index;
  double added_mb = 0;
};

// One index at a time (benchmarks run in registration order), so 100k-row builds of several
// mixes are not all resident together.
const BuiltIndex& IndexFor(Mix mix, size_t count) {
  static std::unique_ptr<BuiltIndex> built;
  if (built && built->mix == mix && built->count == count) return *built;
  built.reset();
  auto b = std::make_unique<BuiltIndex>();
  b->mix = mix;
  b->count = count;
  std::vector<pn::Subscription> rows;
  rows.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    pn::Subscription s;
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012zx", i);
    s.uuid = uuid;
    s.name = "bench-" + std::to_string(i);
    s.user = "bench";
    s.jsonpath = pn::bench::BenchJsonpath(mix, pn::bench::IsMatching(i, count, 10), i);
    s.target_url = "http://127.0.0.1:9/t/" + std::to_string(i);
    rows.push_back(std::move(s));
  }
  b->store = std::make_unique<VectorSubscriptionStore>(std::move(rows));
  const double before = ResidentMB();  // the rows are the store's, not the index's
  b->index = std::make_unique<pn::match::SubscriptionIndex>(*b->store);
  if (pn::Status st = b->index->Rebuild(); !st.ok()) {
    std::cerr << "match_bench: building the index failed: " << st.ToString() << "\n";
    std::abort();
  }
  b->added_mb = ResidentMB() - before;
  built = std::move(b);
  return *built;
}

void BM_Match(benchmark::State& state, Mix mix) {
  const size_t count = static_cast<size_t>(state.range(0));
  const BuiltIndex& built = IndexFor(mix, count);
  const pn::Json& event = ExampleEvent();
  auto snapshot = built.index->snapshot();
  size_t matches = 0;
  for (auto _ : state) {
    auto out = snapshot->Match(event);
    matches = out.size();
    benchmark::DoNotOptimize(out);
  }
  const size_t expected = count < 10 ? count : 10;
  if (matches != expected) {
    state.SkipWithError(("expected " + std::to_string(expected) + " matches, got " +
                         std::to_string(matches))
                            .c_str());
  }
  state.counters["candidates"] = static_cast<double>(snapshot->CandidateCount(event));
  state.counters["matches"] = static_cast<double>(matches);
  state.counters["index_MB"] = built.added_mb;
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->Arg(10)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);
}

BENCHMARK_CAPTURE(BM_Match, eventtype_first, Mix::kEventTypeFirst)->Apply(Sizes);
BENCHMARK_CAPTURE(BM_Match, source_first, Mix::kSourceFirst)->Apply(Sizes);
BENCHMARK_CAPTURE(BM_Match, data_filter, Mix::kDataFilter)->Apply(Sizes);

}  // namespace

BENCHMARK_MAIN();
