// Match throughput of the jsonpath2 engine's Matches() next to hand-written C++ doing the same
// test on the same parsed document (the practical limit), for the documented consumer expression
// (upstream-behavior.md §4.3, jsonpath2.md §11) and a data-element filter.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "json/json.h"
#include "jsonpath/jsonpath.h"

namespace {

constexpr const char* kConsumerExpr =
    R"($[?(@["eventID"] and (@["eventType"] = "org.pacifica.metadata.ingest") and )"
    R"((@["source"] = "/pacifica/metadata/ingest"))]["data"][*][?((@["destinationTable"] = )"
    R"("Files") and (@["mimetype"] = "text/plain"))]["_id"])";
constexpr const char* kFilesExpr = R"($["data"][*][?(@["destinationTable"] = "Files")])";

const pn::Json& Event(const char* name) {
  static std::map<std::string, pn::Json> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  std::ifstream in(std::string(PN_TESTDATA_DIR "/events/") + name);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = pn::ParseJson(text.str());
  if (!doc.ok()) {
    std::cerr << name << ": " << doc.status().message() << "\n";
    std::abort();
  }
  return cache.emplace(name, std::move(*doc)).first->second;
}

std::shared_ptr<const pn::jsonpath::Path> Compile(const char* expr) {
  auto path = pn::jsonpath::Parse(expr);
  if (!path.ok()) {
    std::cerr << path.status().message() << "\n";
    std::abort();
  }
  return *path;
}

bool IsString(const pn::Json& object, const char* key, const char* expected) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() && it->get_ref<const std::string&>() == expected;
}

// Hand-written equivalent of kConsumerExpr on a CloudEvent.
bool HandConsumer(const pn::Json& e) {
  if (!e.is_object() || e.find("eventID") == e.end() ||
      !IsString(e, "eventType", "org.pacifica.metadata.ingest") ||
      !IsString(e, "source", "/pacifica/metadata/ingest")) {
    return false;
  }
  auto data = e.find("data");
  if (data == e.end() || !data->is_structured()) return false;
  for (const auto& element : *data) {
    if (element.is_object() && IsString(element, "destinationTable", "Files") &&
        IsString(element, "mimetype", "text/plain") && element.find("_id") != element.end()) {
      return true;
    }
  }
  return false;
}

// Hand-written equivalent of kFilesExpr.
bool HandFiles(const pn::Json& e) {
  if (!e.is_object()) return false;
  auto data = e.find("data");
  if (data == e.end() || !data->is_structured()) return false;
  for (const auto& element : *data) {
    if (element.is_object() && IsString(element, "destinationTable", "Files")) return true;
  }
  return false;
}

void BM_Engine(benchmark::State& state, const char* expr, const char* event) {
  const auto path = Compile(expr);
  const pn::Json& doc = Event(event);
  bool matched = false;
  for (auto _ : state) {
    auto result = pn::jsonpath::Matches(*path, doc);
    matched = result.ok() && *result;
    benchmark::DoNotOptimize(matched);
  }
  state.counters["matched"] = matched;
  state.SetItemsProcessed(state.iterations());
}

void BM_Hand(benchmark::State& state, bool (*fn)(const pn::Json&), const char* event) {
  const pn::Json& doc = Event(event);
  bool matched = false;
  for (auto _ : state) {
    matched = fn(doc);
    benchmark::DoNotOptimize(matched);
  }
  state.counters["matched"] = matched;
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseConsumerExpr(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(pn::jsonpath::Parse(kConsumerExpr));
  state.SetItemsProcessed(state.iterations());
}

void BM_EvaluateConsumerExprWithPaths(benchmark::State& state) {
  const auto path = Compile(kConsumerExpr);
  const pn::Json& doc = Event("example-ingest-event-docstyle.json");
  for (auto _ : state) benchmark::DoNotOptimize(pn::jsonpath::Evaluate(*path, doc));
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK_CAPTURE(BM_Engine, consumer_ingest_event, kConsumerExpr, "example-ingest-event.json");
BENCHMARK_CAPTURE(BM_Hand, consumer_ingest_event, &HandConsumer, "example-ingest-event.json");
BENCHMARK_CAPTURE(BM_Engine, files_ingest_event, kFilesExpr, "example-ingest-event.json");
BENCHMARK_CAPTURE(BM_Hand, files_ingest_event, &HandFiles, "example-ingest-event.json");
// The consumer expression on an event it matches (the whole path runs).
BENCHMARK_CAPTURE(BM_Engine, consumer_docstyle_event, kConsumerExpr,
                  "example-ingest-event-docstyle.json");
BENCHMARK_CAPTURE(BM_Hand, consumer_docstyle_event, &HandConsumer,
                  "example-ingest-event-docstyle.json");
BENCHMARK(BM_ParseConsumerExpr);
BENCHMARK(BM_EvaluateConsumerExprWithPaths);

BENCHMARK_MAIN();
