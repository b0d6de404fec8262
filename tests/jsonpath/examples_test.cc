// Every case of testdata/jsonpath/jsonpath2-examples.json (produced by running the Python
// library): values, normalized paths, parse errors, runtime errors and str(Path).
#include <fstream>
#include <sstream>

#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

struct Example {
  size_t index;
  Json data;
};

std::vector<Example> LoadExamples() {
  std::ifstream in(PN_TESTDATA_DIR "/jsonpath/jsonpath2-examples.json");
  std::stringstream text;
  text << in.rdbuf();
  auto all = ParseJson(text.str());
  std::vector<Example> examples;
  if (!all.ok()) return examples;
  for (size_t i = 0; i < all->size(); ++i) examples.push_back({i, (*all)[i]});
  return examples;
}

class ExampleTest : public ::testing::TestWithParam<Example> {};

TEST(ExamplesFileTest, HasAllCases) { EXPECT_EQ(LoadExamples().size(), 130u); }

TEST_P(ExampleTest, MatchesPythonLibrary) {
  const Json& c = GetParam().data;
  const std::string expr = c["expr"].get<std::string>();
  SCOPED_TRACE(expr);
  auto path = Parse(expr);
  if (c["error"].get<bool>()) {
    EXPECT_FALSE(path.ok()) << "expected a parse error like: " << c.value("error_message", "");
    if (!path.ok()) {
      EXPECT_EQ(path.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(path.status().message().find("position"), std::string::npos);
    }
    return;
  }
  ASSERT_TRUE(path.ok()) << path.status().message();
  EXPECT_EQ(ToString(**path), c["expr_str"].get<std::string>());

  std::vector<Match> partial;
  auto matches = Evaluate(**path, c["doc"], &partial);
  const bool runtime_error = c.value("runtime_error", false);
  EXPECT_EQ(!matches.ok(), runtime_error) << matches.status().message();
  const std::vector<Match>& got = matches.ok() ? *matches : partial;
  std::vector<std::string> values, paths, expected_values, expected_paths;
  for (const Match& m : got) {
    values.push_back(DumpPython(m.value));
    paths.push_back(m.path);
  }
  for (const Json& v : c["expected_values"]) expected_values.push_back(DumpPython(v));
  for (const Json& p : c["expected_paths"]) expected_paths.push_back(p.get<std::string>());
  EXPECT_EQ(values, expected_values);
  EXPECT_EQ(paths, expected_paths);

  // The fast path agrees with the full evaluation.
  auto matched = Matches(**path, c["doc"]);
  if (runtime_error && got.empty()) {
    EXPECT_FALSE(matched.ok());
  } else {
    ASSERT_TRUE(matched.ok()) << matched.status().message();
    EXPECT_EQ(*matched, !got.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Jsonpath2, ExampleTest, ::testing::ValuesIn(LoadExamples()),
                         [](const ::testing::TestParamInfo<Example>& info) {
                           return "case" + std::to_string(info.param.index);
                         });

}  // namespace
}  // namespace pn::jsonpath::testing
