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

TEST(Prefilter, PacificaDocumentedExpressionGivesEventAndElementEqualities) {
  const char* expr =
      R"($[?(@["eventID"] and (@["eventType"] = "org.pacifica.metadata.ingest") and )"
      R"((@["source"] = "/pacifica/metadata/ingest"))]["data"][*][?((@["destinationTable"] = )"
      R"("Files") and (@["mimetype"] = "text/plain"))]["_id"])";
  EXPECT_EQ(AnalyzeRequiredEqualities(expr),
            (Reqs{{"eventType", {"org.pacifica.metadata.ingest"}},
                  {"source", {"/pacifica/metadata/ingest"}},
                  {"destinationTable", {"Files"}, "data"},
                  {"mimetype", {"text/plain"}, "data"}}));
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
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.n < 1)])"), Reqs{});
}

TEST(Prefilter, IntegerLiteralGivesAnIntegerValue) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.n = 1 and -0 = @.m)])"),
            (Reqs{{"n", {}, "", {1}}, {"m", {}, "", {0}}}));
}

TEST(Prefilter, FloatAndBooleanLiteralsGiveNothing) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.n = 1.0)])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.n = true)])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.n = 99999999999999999999)])"), Reqs{});
}

TEST(Prefilter, DataElementFilterGivesElementEqualities) {
  EXPECT_EQ(AnalyzeRequiredEqualities(
                R"($["data"][*][?(@["destinationTable"] = "Transactions.project" and )"
                R"(@["value"] = 1234)])"),
            (Reqs{{"destinationTable", {"Transactions.project"}, "data"},
                  {"value", {}, "data", {1234}}}));
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($.data.*[?(@.value = "a" or @.value = 2)])"),
            (Reqs{{"value", {"a"}, "data", {2}}}));
}

TEST(Prefilter, RootOperandInElementFilterTestsTheEvent) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($.data[*][?($.type = "t" and @.k = "v")])"),
            (Reqs{{"type", {"t"}}, {"k", {"v"}, "data"}}));
}

TEST(Prefilter, SeveralRootFiltersAllCount) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.a = "x")][?(@.b = "y")]["data"][*][?(@.k = "v")])"),
            (Reqs{{"a", {"x"}}, {"b", {"y"}}, {"k", {"v"}, "data"}}));
}

TEST(Prefilter, ElementFilterNeedsMemberThenWildcard) {
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($.data[?(@.k = "v")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($.data[0][?(@.k = "v")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($.data[*].x[?(@.k = "v")])"), Reqs{});
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($..data[*][?(@.k = "v")])"), Reqs{});
  // A root filter that cannot be read stops the analysis there.
  EXPECT_EQ(AnalyzeRequiredEqualities(R"($[?(@.a = "x"), "b"]["data"][*][?(@.k = "v")])"), Reqs{});
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

TEST(Prefilter, SatisfiesIntegerUnderPythonEquality) {
  RequiredEquality req{"n", {}, "", {0, 1}};
  EXPECT_TRUE(Satisfies(req, Json::parse(R"({"n": 1})")));
  EXPECT_TRUE(Satisfies(req, Json::parse(R"({"n": 1.0})")));
  EXPECT_TRUE(Satisfies(req, Json::parse(R"({"n": true})")));
  EXPECT_TRUE(Satisfies(req, Json::parse(R"({"n": -0.0})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"n": 1.5})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"n": "1"})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"n": null})")));
}

TEST(Prefilter, SatisfiesElementRequirementOnAnyElement) {
  RequiredEquality req{"k", {"v"}, "data"};
  EXPECT_TRUE(Satisfies(req, Json::parse(R"({"data": [{"k": "w"}, 3, {"k": "v"}]})")));
  EXPECT_TRUE(Satisfies(req, Json::parse(R"({"data": {"x": {"k": "v"}}})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"data": [{"k": "w"}]})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"data": {"k": "v"}})")));
  EXPECT_FALSE(Satisfies(req, Json::parse(R"({"k": "v"})")));
}

TEST(Prefilter, EqualityKeyFollowsPythonEquality) {
  EXPECT_EQ(EqualityKey(Json("a")), StringKey("a"));
  EXPECT_EQ(EqualityKey(Json(3)), IntegerKey(3));
  EXPECT_EQ(EqualityKey(Json(3.0)), IntegerKey(3));
  EXPECT_EQ(EqualityKey(Json(false)), IntegerKey(0));
  EXPECT_EQ(EqualityKey(Json(uint64_t{18446744073709551615u})), std::nullopt);
  EXPECT_EQ(EqualityKey(Json(1e300)), std::nullopt);
  EXPECT_EQ(EqualityKey(Json(nullptr)), std::nullopt);
}

}  // namespace
}  // namespace pn::match
