// The spec's worked Pacifica example (jsonpath2.md §11) against every event in testdata/events/.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

constexpr const char* kConsumerExpr =
    R"($[?(@["eventID"] and (@["eventType"] = "org.pacifica.metadata.ingest") and )"
    R"((@["source"] = "/pacifica/metadata/ingest"))]["data"][*][?((@["destinationTable"] = )"
    R"("Files") and (@["mimetype"] = "text/plain"))]["_id"])";

Json LoadEvent(const std::string& name) {
  std::ifstream in(std::string(PN_TESTDATA_DIR) + "/events/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return J(text.str());
}

// Expected (paths) per event file, worked out by hand from the spec: only the docstyle event has
// source "/pacifica/metadata/ingest"; the others come from pacifica-metadata's default
// configuration (source "http://metadata.pacifica.org/...") or are ORM events.
const std::map<std::string, std::vector<std::string>>& Expected() {
  static const std::map<std::string, std::vector<std::string>> expected = {
      {"example-ingest-event.json", {}},
      {"example-ingest-event-binary-cli.json", {}},
      {"example-ingest-event-docstyle.json", {R"($["data"][5]["_id"])"}},
      {"example-ingest-event-multifile.json", {}},
      {"example-orm-event.json", {}},
  };
  return expected;
}

TEST(PacificaExampleTest, EveryEventFileHasAnExpectation) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(PN_TESTDATA_DIR "/events")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    EXPECT_TRUE(Expected().count(entry.path().filename().string())) << entry.path();
  }
  EXPECT_EQ(files, Expected().size());
}

TEST(PacificaExampleTest, ConsumerExpressionOnEveryEvent) {
  auto path = Parse(kConsumerExpr);
  ASSERT_TRUE(path.ok()) << path.status().message();
  for (const auto& [file, expected_paths] : Expected()) {
    SCOPED_TRACE(file);
    Json event = LoadEvent(file);
    Outcome o = RunOnDoc(kConsumerExpr, event);
    EXPECT_EQ(o.error, "");
    EXPECT_EQ(o.paths, expected_paths);
    auto matched = Matches(**path, event);
    ASSERT_TRUE(matched.ok());
    EXPECT_EQ(*matched, !expected_paths.empty());
  }
}

TEST(PacificaExampleTest, DocstyleEventYieldsTheTextFileId) {
  EXPECT_EQ(RunOnDoc(kConsumerExpr, LoadEvent("example-ingest-event-docstyle.json")).values,
            V({"2061"}));
}

TEST(PacificaExampleTest, IngestEventMatchesOnceSourceIsTheDocumentedOne) {
  Json event = LoadEvent("example-ingest-event.json");
  event["source"] = "/pacifica/metadata/ingest";
  Outcome o = RunOnDoc(kConsumerExpr, event);
  EXPECT_EQ(o.values, V({"2061"}));
  EXPECT_EQ(o.paths, V({R"($["data"][5]["_id"])"}));
}

TEST(PacificaExampleTest, MultifileEventYieldsOnlyTextPlainFiles) {
  Json event = LoadEvent("example-ingest-event-multifile.json");
  event["source"] = "/pacifica/metadata/ingest";
  EXPECT_EQ(RunOnDoc(kConsumerExpr, event).values, V({"2066"}));
}

TEST(PacificaExampleTest, EventWrappedInArrayNeverMatches) {
  Json wrapped = Json::array({LoadEvent("example-ingest-event-docstyle.json")});
  EXPECT_EQ(RunOnDoc(kConsumerExpr, wrapped).values, V({}));
}

TEST(PacificaExampleTest, SourceMustMatchExactly) {
  Json event = LoadEvent("example-ingest-event-docstyle.json");
  event["source"] = Json::array({"/pacifica/metadata/ingest"});
  EXPECT_EQ(RunOnDoc(kConsumerExpr, event).values, V({}));
}

TEST(PacificaExampleTest, EventIdMayBeNullButNotMissing) {
  Json event = LoadEvent("example-ingest-event-docstyle.json");
  event["eventID"] = nullptr;
  EXPECT_EQ(RunOnDoc(kConsumerExpr, event).values, V({"2061"}));
  event.erase("eventID");
  EXPECT_EQ(RunOnDoc(kConsumerExpr, event).values, V({}));
}

TEST(PacificaExampleTest, SopStyleRootFilterBehavesTheSame) {
  const char* expr =
      R"($[?( $["data"][*][?(@["destinationTable"] = "Files" and @["mimetype"] = "text/plain")])"
      R"( and $["eventID"] and $["eventType"] = "org.pacifica.metadata.ingest")]["eventID"])";
  EXPECT_EQ(RunOnDoc(expr, LoadEvent("example-ingest-event-docstyle.json")).values,
            V({R"("C234-1234-1234")"}));
  EXPECT_EQ(RunOnDoc(expr, LoadEvent("example-ingest-event-binary-cli.json")).values, V({}));
}

}  // namespace
}  // namespace pn::jsonpath::testing
