// Pre-filtering must never change the answer: for random subscription sets and the real event
// files, the indexed match equals evaluating every subscription.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/random.h"
#include "fake_subscription_store.h"
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

// Element-level shapes (`data` elements, as Pacifica users subscribe), string and integer
// literals, including values the random events carry as ints, floats and bools.
const std::vector<std::string> kTables = {"Transactions.project", "Files", "TransactionKeyValue"};
const std::vector<std::string> kValues = {"\"1234a\"", "\"27\"", "1", "0", "10", "-3", "1301",
                                          "\"True\"", "2.0", "true"};

std::string ElementTerm(RandomSource& r, int depth) {
  switch (r.NextU64() % (depth > 1 ? 3 : 6)) {
    case 0: return "@[\"destinationTable\"] = \"" + Pick(r, kTables) + "\"";
    case 1: return "@[\"value\"] = " + Pick(r, kValues);
    case 2: return Pick(r, kValues) + " = @.value";
    case 3: return "(" + ElementTerm(r, depth + 1) + " or " + ElementTerm(r, depth + 1) + ")";
    case 4: return "not " + ElementTerm(r, depth + 1);
    default: return Equality(r);  // `$` inside: tests the event
  }
}

std::string DataPath(RandomSource& r) {
  const std::string elements = r.NextU64() % 2 ? "[\"data\"][*]" : ".data.*";
  std::string filter = "[?(" + ElementTerm(r, 0) + " and " + ElementTerm(r, 0) + ")]";
  switch (r.NextU64() % 3) {
    case 0: return "$" + elements + filter;
    case 1: return "$[?(" + Term(r, 0) + ")]" + elements + filter + "[\"_id\"]";
    default: return "$[?(" + Equality(r) + ")][?(" + Equality(r) + ")]" + elements + filter;
  }
}

std::string RandomPath(RandomSource& r) {
  if (r.NextU64() % 3 == 0) return DataPath(r);
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

Json RandomScalar(RandomSource& r) {
  switch (r.NextU64() % 8) {
    case 0: return "1234a";
    case 1: return 1;
    case 2: return 1.0;
    case 3: return true;
    case 4: return -3;
    case 5: return 2;
    case 6: return "True";
    default: return nullptr;
  }
}

// Random events whose `data` elements carry the literals the element terms test.
Json RandomEvent(RandomSource& r) {
  Json e = Json::object();
  e["eventType"] = Pick(r, kTypes);
  e["source"] = Pick(r, kSources);
  if (r.NextU64() % 5 == 0) e["type"] = Pick(r, kTypes);
  Json data = Json::array();
  const size_t n = r.NextU64() % 5;
  for (size_t i = 0; i < n; ++i) {
    Json el = Json::object();
    if (r.NextU64() % 4 != 0) el["destinationTable"] = Pick(r, kTables);
    if (r.NextU64() % 4 != 0) el["value"] = RandomScalar(r);
    data.push_back(r.NextU64() % 8 == 0 ? Json(7) : el);
  }
  if (r.NextU64() % 6 == 0) {  // an object: `[*]` takes its member values
    Json obj = Json::object();
    for (size_t i = 0; i < data.size(); ++i) obj["k" + std::to_string(i)] = data[i];
    e["data"] = obj;
  } else {
    e["data"] = data;
  }
  return e;
}

std::vector<std::string> Uuids(const std::vector<SubscriptionRef>& subs) {
  std::vector<std::string> out;
  for (const auto& s : subs) out.push_back(s->uuid);
  return out;
}

void ExpectIndexedEqualsExhaustive(const MatchSnapshot& snapshot, const std::vector<Json>& events,
                                   uint64_t seed, size_t* matches) {
  for (const auto& event : events) {
    auto indexed = Uuids(snapshot.Match(event));
    ASSERT_EQ(indexed, Uuids(snapshot.MatchExhaustive(event)))
        << "seed " << seed << " event " << DumpPython(event).substr(0, 300);
    *matches += indexed.size();
  }
}

TEST(MatchProperty, IndexedMatchEqualsExhaustiveEvaluation) {
  std::vector<Json> events = LoadEvents();
  ASSERT_GE(events.size(), 10u);
  size_t indexed_total = 0, element_indexed = 0, matches_total = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SeededRandom r(seed);
    std::vector<Json> seed_events = events;
    for (int i = 0; i < 20; ++i) seed_events.push_back(RandomEvent(r));
    testing::FakeSubscriptionStore store;
    for (int i = 0; i < 60; ++i) {
      const std::string path = RandomPath(r);
      ASSERT_TRUE(jsonpath::Parse(path).ok()) << path;
      ASSERT_TRUE(store.Insert(testing::MakeSubscription(i, path)).ok());
      for (const auto& req : AnalyzeRequiredEqualities(path)) element_indexed += !req.within.empty();
    }
    SubscriptionIndex index(store);
    ASSERT_TRUE(index.Rebuild().ok());
    auto snapshot = index.snapshot();
    ASSERT_EQ(snapshot->size(), 60u);
    indexed_total += snapshot->size() - snapshot->unindexed_count();
    ExpectIndexedEqualsExhaustive(*snapshot, seed_events, seed, &matches_total);
    // Patched snapshots answer the same: changed paths, removals and additions.
    for (int change = 0; change < 30; ++change) {
      const int n = static_cast<int>(r.NextU64() % 70);
      Subscription s = testing::MakeSubscription(n, RandomPath(r));
      if (r.NextU64() % 4 == 0) s.deleted = Timestamp{};
      ASSERT_TRUE(index.OnSubscriptionChanged(s).ok());
    }
    ExpectIndexedEqualsExhaustive(*index.snapshot(), seed_events, seed, &matches_total);
  }
  // The generator must exercise both sides: indexed subscriptions and real matches.
  EXPECT_GT(indexed_total, 200u);
  EXPECT_GT(element_indexed, 200u);
  EXPECT_GT(matches_total, 200u);
}

}  // namespace
}  // namespace pn::match
