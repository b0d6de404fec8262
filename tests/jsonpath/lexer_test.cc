// Lexical structure (spec §2): whitespace, raw strings, numbers, keywords, lexical errors.
#include "tests/jsonpath/test_util.h"

namespace pn::jsonpath::testing {
namespace {

using ::testing::HasSubstr;

TEST(LexerTest, SpaceTabCrLfSeparateTokens) {
  EXPECT_EQ(Values("$ . a\t.\r\nb", R"({"a": {"b": 1}})"), V({"1"}));
}

TEST(LexerTest, FormFeedIsALexicalError) {
  EXPECT_THAT(ParseError("$\f.a"), HasSubstr("position 1"));
}

TEST(LexerTest, NonBreakingSpaceIsALexicalError) {
  EXPECT_THAT(ParseError("$\xC2\xA0.a"), HasSubstr("position 1"));
}

TEST(LexerTest, ThreeDotsAreDescentThenDotAndFail) {
  EXPECT_THAT(ParseError("$...a"), HasSubstr("position 3"));
}

TEST(LexerTest, EscapedQuoteIsKeptRaw) {
  // The member name is the 4 characters a \ " b.
  EXPECT_EQ(Values(R"($["a\"b"])", R"({"a\\\"b": 1, "a\"b": 2})"), V({"1"}));
}

TEST(LexerTest, UnicodeEscapeIsNotDecoded) {
  EXPECT_EQ(Values(R"($["\u00e9"])", R"({"\\u00e9": 1, "é": 2})"), V({"1"}));
}

TEST(LexerTest, NonAsciiTypedDirectlyWorks) {
  EXPECT_EQ(Values(R"($["é"])", R"({"\\u00e9": 1, "é": 2})"), V({"2"}));
}

TEST(LexerTest, DoubleBackslashStaysDouble) {
  EXPECT_EQ(Values(R"($["a\\b"])", R"({"a\\\\b": 1, "a\\b": 2})"), V({"1"}));
}

TEST(LexerTest, EscapedNewlineIsBackslashN) {
  EXPECT_EQ(Values(R"($["a\nb"])", R"({"a\\nb": 1, "a\nb": 2})"), V({"1"}));
}

TEST(LexerTest, DelAndNonAsciiAllowedInsideStrings) {
  EXPECT_EQ(Values("$[\"a\x7F\"]", R"({"a\u007f": 1})"), V({"1"}));
}

TEST(LexerTest, InvalidEscapeIsAnError) {
  EXPECT_THAT(ParseError(R"($["a\x"])"), HasSubstr("invalid escape"));
}

TEST(LexerTest, ShortUnicodeEscapeIsAnError) {
  EXPECT_THAT(ParseError(R"($["\u12"])"), HasSubstr("4 hex digits"));
}

TEST(LexerTest, SingleQuotesAreAnError) {
  EXPECT_THAT(ParseError("$['a']"), HasSubstr("double quotes"));
}

TEST(LexerTest, RawControlCharacterInStringIsAnError) {
  EXPECT_THAT(ParseError("$[\"a\nb\"]"), HasSubstr("position 4"));
}

TEST(LexerTest, UnterminatedStringIsAnError) {
  EXPECT_THAT(ParseError(R"($["abc)"), HasSubstr("unterminated string"));
}

TEST(LexerTest, InvalidUtf8IsAnError) {
  EXPECT_THAT(ParseError("$[\"\xC3\x28\"]"), HasSubstr("invalid UTF-8"));
}

TEST(LexerTest, LeadingZeroMakesTwoNumbers) { EXPECT_NE(ParseError("$[01]"), ""); }

TEST(LexerTest, MinusMustTouchTheDigits) { EXPECT_NE(ParseError("$[- 1]"), ""); }

TEST(LexerTest, PlusSignIsAnError) { EXPECT_NE(ParseError("$[+1]"), ""); }

TEST(LexerTest, LeadingDotNumberIsAnError) { EXPECT_NE(ParseError("$[?(@ = .5)]"), ""); }

TEST(LexerTest, ExponentUsesIntSo1e05IsTwoNumbers) {
  EXPECT_NE(ParseError("$[?(@ = 1e05)]"), "");
  EXPECT_EQ(ParseError("$[?(@ = 1e5)]"), "");
}

TEST(LexerTest, NegativeZeroIndexIsZero) {
  EXPECT_EQ(Paths("$[-0]", "[5]"), V({"$[0]"}));
}

TEST(LexerTest, KeywordsAreLowerCaseOnly) {
  EXPECT_NE(ParseError("$[?(@.a = True)]"), "");
  EXPECT_NE(ParseError("$[?(@.a AND @.b)]"), "");
  EXPECT_EQ(Values("$.AND", R"({"AND": 1})"), V({"1"}));
}

TEST(LexerTest, LongerIdentifiersAreNotKeywords) {
  EXPECT_EQ(Values("$.andy", R"({"andy": 1})"), V({"1"}));
  EXPECT_EQ(Values("$.nullable", R"({"nullable": 2})"), V({"2"}));
  EXPECT_EQ(Values("$.trueish", R"({"trueish": 3})"), V({"3"}));
}

TEST(LexerTest, IdentifiersAreAsciiOnly) {
  EXPECT_NE(ParseError("$.é"), "");
  EXPECT_NE(ParseError("$.a-b"), "");
}

TEST(LexerTest, DoubleEqualsIsAnError) { EXPECT_NE(ParseError("$[?(@.a == 1)]"), ""); }

TEST(LexerTest, LoneOperatorCharactersAreErrors) {
  for (const char* expr : {"$[?(!@.a)]", "$[?(@.a && @.b)]", "$[?(@.a || @.b)]", "$[?(~@.a)]",
                           "$[?(@.a + 1)]"}) {
    EXPECT_NE(ParseError(expr), "") << expr;
  }
}

TEST(LexerTest, NulByteIsAnError) {
  EXPECT_NE(ParseError(std::string_view("$.a\0", 4)), "");
}

}  // namespace
}  // namespace pn::jsonpath::testing
