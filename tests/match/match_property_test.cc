// Pre-filtering must never change the answer: for random subscription sets and the real event
// files, the indexed match equals evaluating every subscription.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/random.h"
#include "match/subscription_index.h"

namespace pn::match {
namespace {

std::vector<Json> LoadEvents() {
  std::vector<Json> events;
  for (const auto& entry : std::filesystem::directory_iterator(PN_TESTDATA_DIR "/events")) {
    std::ifstream in(entry.path());
    std::stringstream buf;
    buf << in.rdbuf();
    auto parsed = ParseJson(buf.str());
    EXPECT_TRUE(parsed.ok()) << entry.path() << ": " << parsed.status().ToString();
    if (parsed.ok()) events.push_back(*parsed);
  }
  // Variants: CloudEvents 1.0 attributes, odd attribute types, non-object events.
  events.push_back(Json::parse(
      R"({"specversion": "1.0", "id": "1", "source": "s1", "type": "t1", "data": {"a": 1}})"));
  events.push_back(Json::parse(R"({"eventType": ["org.pacifica.metadata.ingest"], "data": []})"));
  events.push_back(Json::parse(R"({"eventType": 1, "type": null, "source": "s2"})"));
  events.push_back(Json::parse(R"({"type": "a\\\"b", "source": "s1"})"));
  events.push_back(Json::parse(R"([{"eventType": "org.pacifica.metadata.ingest"}])"));
  events.push_back(Json::parse(R"("org.pacifica.metadata.ingest")"));
  return events;
}

const std::vector<std::string> kTypes = {
    "org.pacifica.metadata.ingest", "org.pacifica.metadata.orm", "t1", "nope", R"(a\"b)"};
const std::vector<std::string> kSources = {
    "http://metadata.pacifica.org/transactions?_id=1301", "http://metadata.pacifica.org/files",
    "s1", "s2", "/pacifica/metadata/ingest"};
const std::vector<std::string> kAttrs = {"eventType", "type", "source", "eventID", "id"};

std::string Pick(RandomSource& r, const std::vector<std::string>& from) {
  return from[r.NextU64() % from.size()];
}

std::string Member(RandomSource& r, const std::string& attr) {
  switch (r.NextU64() % 3) {
    case 0: return "@." + attr;
    case 1: return "@[\"" + attr + "\"]";
    default: return "$[\"" + attr + "\"]";
  }
}

std::string Equality(RandomSource& r) {
  std::string attr = Pick(r, kAttrs);
  std::string value = attr == "source" ? Pick(r, kSources) : Pick(r, kTypes);
  if (r.NextU64() % 4 == 0) return "\"" + value + "\" = " + Member(r, attr);
  return Member(r, attr) + " = \"" + value + "\"";
}

// A random term of a filter expression, including shapes the analysis must not index.
std::string Term(RandomSource& r, int depth) {
  switch (r.NextU64() % (depth > 1 ? 4 : 9)) {
    case 0: case 1: return Equality(r);
    case 2: return Member(r, Pick(r, kAttrs));
    case 3: return Member(r, Pick(r, kAttrs)) + " != \"" + Pick(r, kTypes) + "\"";
    case 4: return "not " + Term(r, depth + 1);
    case 5: return "(" + Term(r, depth + 1) + " or " + Term(r, depth + 1) + ")";
    case 6: return Term(r, depth + 1) + " or " + Term(r, depth + 1);
    case 7: return "(" + Term(r, depth + 1) + " and " + Term(r, depth + 1) + ")";
    default: return "@.data[*][?(@.mimetype = \"text/plain\")]";
  }
}

std::string RandomPath(RandomSource& r) {
  switch (r.NextU64() % 8) {
    case 0: return "$.data";
    case 1: return "$..name";
    case 2: return "$[?(" + Term(r, 0) + ")]";
    case 3: return "$[?(" + Term(r, 0) + "), \"data\"]";
    case 4: return "$[?(" + Term(r, 0) + ")][?(" + Term(r, 0) + ")]";
    case 5: return "$[?(" + Term(r, 0) + " and " + Term(r, 0) + ")][\"data\"][*]";
    case 6: return "$.data[*][?(" + Term(r, 0) + ")]";
    default: return "$[?(" + Term(r, 0) + " and " + Term(r, 0) + " or " + Term(r, 0) + ")]";
  }
}

std::vector<std::string> Uuids(const std::vector<std::shared_ptr<const Subscription>>& subs) {
  std::vector<std::string> out;
  for (const auto& s : subs) out.push_back(s->uuid);
  return out;
}

TEST(MatchProperty, IndexedMatchEqualsExhaustiveEvaluation) {
  const std::vector<Json> events = LoadEvents();
  ASSERT_GE(events.size(), 10u);
  size_t indexed_total = 0, matches_total = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SeededRandom r(seed);
    std::vector<CompiledSubscription> subs;
    for (int i = 0; i < 60; ++i) {
      auto s = std::make_shared<Subscription>();
      s->uuid = "sub-" + std::to_string(i);
      s->jsonpath = RandomPath(r);
      auto path = jsonpath::Parse(s->jsonpath);
      ASSERT_TRUE(path.ok()) << s->jsonpath << ": " << path.status().ToString();
      subs.push_back({s, *path, AnalyzeRequiredEqualities(s->jsonpath)});
    }
    MatchSnapshot snapshot(std::move(subs));
    indexed_total += snapshot.size() - snapshot.unindexed_count();
    for (const auto& event : events) {
      auto indexed = Uuids(snapshot.Match(event));
      ASSERT_EQ(indexed, Uuids(snapshot.MatchExhaustive(event)))
          << "seed " << seed << " event " << DumpPython(event).substr(0, 200);
      matches_total += indexed.size();
    }
  }
  // The generator must exercise both sides: indexed subscriptions and real matches.
  EXPECT_GT(indexed_total, 200u);
  EXPECT_GT(matches_total, 200u);
}

}  // namespace
}  // namespace pn::match
