// pn_bench_seed: the benchmark's subscriptions (bench/bench_subscriptions.h), either as
// /eventmatch request bodies for bench/run.sh to POST, or inserted straight into a SQLite
// database through the store (100,000 subscriptions through the API would take minutes).
//   pn_bench_seed bodies COUNT MATCHING MIX TARGET_BASE   one JSON body per line on stdout
//   pn_bench_seed db PATH COUNT MATCHING MIX TARGET_BASE  creates the schema when empty
// Subscription i targets TARGET_BASE + i (e.g. http://127.0.0.1:8080/t/ -> .../t/17).
// Exit 0 on success, 1 on a store error, 2 on a usage error.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "bench/bench_subscriptions.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/uuid.h"
#include "json/json.h"
#include "store/sqlite/sqlite_store.h"

namespace {

int Usage(const std::string& why) {
  std::cerr << "pn_bench_seed: " << why << "\n"
            << "usage: pn_bench_seed bodies COUNT MATCHING MIX TARGET_BASE\n"
            << "       pn_bench_seed db PATH COUNT MATCHING MIX TARGET_BASE\n"
            << "MIX: eventtype-first | source-first | data-filter\n";
  return 2;
}

bool ParseCount(const char* text, size_t* out) {
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v > 10'000'000) return false;
  *out = static_cast<size_t>(v);
  return true;
}

pn::Subscription Make(size_t i, size_t count, size_t matching, pn::bench::Mix mix,
                      const std::string& target_base) {
  pn::Subscription s;
  s.name = "bench-" + std::to_string(i);
  s.jsonpath = pn::bench::BenchJsonpath(mix, pn::bench::IsMatching(i, count, matching), i);
  s.target_url = target_base + std::to_string(i);
  s.user = "bench";
  return s;
}

int Bodies(size_t count, size_t matching, pn::bench::Mix mix, const std::string& target_base) {
  for (size_t i = 0; i < count; ++i) {
    pn::Subscription s = Make(i, count, matching, mix, target_base);
    pn::Json body = pn::Json::object();
    body["name"] = s.name;
    body["jsonpath"] = s.jsonpath;
    body["target_url"] = s.target_url;
    std::cout << pn::DumpPython(body) << "\n";
  }
  return 0;
}

int Db(const std::string& path, size_t count, size_t matching, pn::bench::Mix mix,
       const std::string& target_base) {
  pn::SqliteOptions options;
  options.synchronous_full = false;  // seeding only; the server reopens it with its defaults
  auto store = pn::OpenSqliteStore(path, options);
  if (!store.ok()) {
    std::cerr << "pn_bench_seed: " << path << ": " << store.status().ToString() << "\n";
    return 1;
  }
  auto empty = (*store)->schema().IsEmpty();
  if (!empty.ok()) {
    std::cerr << "pn_bench_seed: " << empty.status().ToString() << "\n";
    return 1;
  }
  if (*empty) {
    if (pn::Status st = (*store)->schema().Sync(); !st.ok()) {
      std::cerr << "pn_bench_seed: creating the schema: " << st.ToString() << "\n";
      return 1;
    }
  }
  auto& random = pn::SystemRandom::Instance();
  const pn::Timestamp now = pn::SystemClock::Instance().Now();
  for (size_t i = 0; i < count; ++i) {
    pn::Subscription s = Make(i, count, matching, mix, target_base);
    s.uuid = pn::NewUuid4(random);
    s.created = now;
    s.updated = now;
    if (pn::Status st = (*store)->subscriptions().Insert(s); !st.ok()) {
      std::cerr << "pn_bench_seed: inserting subscription " << i << ": " << st.ToString() << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage("no command");
  const std::string command = argv[1];
  const int first = command == "db" ? 3 : 2;
  if ((command != "db" && command != "bodies") || argc != first + 4) {
    return Usage("wrong command or number of arguments");
  }
  size_t count = 0, matching = 0;
  if (!ParseCount(argv[first], &count)) return Usage(std::string("bad COUNT ") + argv[first]);
  if (!ParseCount(argv[first + 1], &matching)) {
    return Usage(std::string("bad MATCHING ") + argv[first + 1]);
  }
  auto mix = pn::bench::ParseMix(argv[first + 2]);
  if (!mix) return Usage(std::string("unknown MIX ") + argv[first + 2]);
  const std::string target_base = argv[first + 3];
  if (command == "bodies") return Bodies(count, matching, *mix, target_base);
  return Db(argv[2], count, matching, *mix, target_base);
}
