#include "json/json.h"

#include <gtest/gtest.h>

namespace pn {
namespace {

TEST(JsonTest, KeepsMemberOrder) {
  auto v = ParseJson(R"({"z": 1, "a": 2, "m": 3})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(DumpCompact(*v), R"({"z":1,"a":2,"m":3})");
}

TEST(JsonTest, DuplicateKeyLastValueWinsFirstPositionKept) {
  auto v = ParseJson(R"({"a": 1, "b": 2, "a": 3})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(DumpCompact(*v), R"({"a":3,"b":2})");
}

TEST(JsonTest, KeepsIntAndFloatApart) {
  auto v = ParseJson(R"([1, 1.0, -2, 1e2])");
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE((*v)[0].is_number_integer());
  EXPECT_TRUE((*v)[1].is_number_float());
  EXPECT_TRUE((*v)[2].is_number_integer());
  EXPECT_TRUE((*v)[3].is_number_float());
  EXPECT_EQ(DumpPython(*v), "[1, 1.0, -2, 100.0]");
}

TEST(JsonTest, PythonDumpsSeparatorsAndAsciiEscapes) {
  auto v = ParseJson("{\"k\": [\"\xC3\xA9\", \"\xF0\x9F\x98\x80\", \"a\\\"b\\n\\u007f\"], \"n\": null}");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(DumpPython(*v),
            R"({"k": ["\u00e9", "\ud83d\ude00", "a\"b\n\u007f"], "n": null})");
}

TEST(JsonTest, RejectsMalformedWithPosition) {
  auto v = ParseJson("{\"a\": }");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("column"), std::string::npos) << v.status().message();
}

TEST(JsonTest, RejectsInvalidUtf8AndBom) {
  EXPECT_FALSE(ParseJson("\"\xff\"").ok());
  EXPECT_FALSE(ParseJson("\xEF\xBB\xBF{}").ok());
  EXPECT_FALSE(ParseJson("").ok());
}

}  // namespace
}  // namespace pn

namespace pn {
namespace {

TEST(JsonTest, FloatsRenderAsPythonRepr) {
  EXPECT_EQ(DumpPython(Json(1e15)), "1000000000000000.0");
  EXPECT_EQ(DumpPython(Json(1e16)), "1e+16");
  EXPECT_EQ(DumpPython(Json(1.5e-7)), "1.5e-07");
  EXPECT_EQ(DumpPython(Json(0.0001)), "0.0001");
  EXPECT_EQ(DumpPython(Json(0.00001)), "1e-05");
  EXPECT_EQ(DumpPython(Json(-0.0)), "-0.0");
  EXPECT_EQ(DumpPython(Json(123.456)), "123.456");
  EXPECT_EQ(DumpPython(Json(2.5e300)), "2.5e+300");
  EXPECT_EQ(DumpPython(Json(0.1)), "0.1");
}

TEST(JsonTest, RefusesNestingDeeperThanPythonAccepts) {
  std::string deep(kMaxJsonDepth + 1, '[');
  deep.append(kMaxJsonDepth + 1, ']');
  auto v = ParseJson(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "invalid JSON: nested deeper than 1000 levels");
  std::string ok(kMaxJsonDepth, '[');
  ok.append(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
}

TEST(JsonTest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string s = "[\"" + std::string(5000, '[') + "\\\"\"]";
  EXPECT_TRUE(ParseJson(s).ok());
}

}  // namespace
}  // namespace pn
