#include "match/prefilter.h"

#include <gtest/gtest.h>

namespace pn::match {
namespace {

using Reqs = std::vector<RequiredEquality>;

TEST(Prefilter, BracketMemberEquality) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@["eventType"] = "org.pacifica.metadata.ingest")])"),
            (Reqs{{"eventType", {"org.pacifica.metadata.ingest"}}}));
}

TEST(Prefilter, DottedMemberEquality) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "com.example.x")])"),
            (Reqs{{"type", {"com.example.x"}}}));
}

TEST(Prefilter, LiteralOnTheLeft) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?("x" = @.source)])"), (Reqs{{"source", {"x"}}}));
}

TEST(Prefilter, RootOperandInsideRootFilter) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?($["source"] = "s")]["data"])"),
            (Reqs{{"source", {"s"}}}));
}

TEST(Prefilter, PacificaDocumentedExpressionGivesBothEqualities) {
  const char* expr =
      R"($[?(@["eventID"] and (@["eventType"] = "org.pacifica.metadata.ingest") and )"
      R"((@["source"] = "/pacifica/metadata/ingest"))]["data"][*][?((@["destinationTable"] = )"
      R"("Files") and (@["mimetype"] = "text/plain"))]["_id"])";
  EXPECT_EQ(AnalyzeRequiredEqualities(expr),
            (Reqs{{"eventType", {"org.pacifica.metadata.ingest"}},
                  {"source", {"/pacifica/metadata/ingest"}}}));
}

TEST(Prefilter, OrOfOneAttributeGivesAValueSet) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "b" or @.type = "a")])"),
            (Reqs{{"type", {"a", "b"}}}));
}

TEST(Prefilter, OrAcrossAttributesGivesNothing) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "b" or @.source = "a")])"), Reqs{});
}

TEST(Prefilter, OrBindsTighterThanAnd) {
  // jsonpath2: A and B or C == A and (B or C), so A is required.
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "a" and @.x or @.type = "b")])"),
            (Reqs{{"type", {"a"}}}));
  // (A or B) and C: A alone is not required.
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "a" or @.x and @.source = "s")])"),
            (Reqs{{"source", {"s"}}}));
}

TEST(Prefilter, NegationGivesNothing) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(not @.type = "a")])"), Reqs{});
}

TEST(Prefilter, NonEqualityOperatorsGiveNothing) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type != "a")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type contains "a")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.n = 1)])"), Reqs{});
}

TEST(Prefilter, DeeperPathsAreNotTopLevelAttributes) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.data.type = "a")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@..type = "a")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type.length() = "a")])"), Reqs{});
}

TEST(Prefilter, FilterNotFirstOrInAUnionGivesNothing) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($.data[?(@.type = "a")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "a"), "data"])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($..[?(@.type = "a")])"), Reqs{});
}

TEST(Prefilter, UnrecognisedOrInvalidTextGivesNothing) {
  EXPECT_EQ(AnalyzeRequiredEqualities("$"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities("$.eventType"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "a")])x!)"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "a")"), Reqs{});
}

TEST(Prefilter, RawStringLiteralKeepsEscapes) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.type = "a\"b")])"), (Reqs{{"type", {R"(a\"b)"}}}));
}

TEST(Prefilter, WhitespaceBetweenTokensIsAllowed) {
  EXPECT_EQ(AnalyzeRequiredEqualities("$ [ ? ( @ [ \"type\" ]\t=\n\"a\" ) ]"),
            (Reqs{{"type", {"a"}}}));
}

TEST(Prefilter, SatisfiesNeedsAStringMemberWithOneOfTheValues) {
  RequiredEquality req{"type", {"a", "b"}};
  EXPECT_TRUE(Satisfies(req, Json::parse(R"({"type": "b"})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"type": "c"})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"type": ["a"]})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"other": "a"})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"(["a"])")));
}

}  // namespace
}  // namespace pn::match
