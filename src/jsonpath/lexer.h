// Tokenizer for the jsonpath2 dialect (spec §2): longest match, keywords before identifiers,
// raw (undecoded but validated) strings, whitespace = space, TAB, CR, LF. Internal.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pn::jsonpath::internal {

enum class TokenKind {
  kRoot, kCurrent, kDotDot, kDot, kStar, kQuestion, kComma, kColon, kLParen, kRParen,
  kLBracket, kRBracket, kLBrace, kRBrace, kEq, kNe, kLt, kLe, kGt, kGe,
  kAnd, kOr, kNot, kContains, kTrue, kFalse, kNull, kId, kString, kNumber, kEnd, kError,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;       // byte offset in the expression
  std::string_view text;   // the token's source text (a string's text includes its quotes)
  std::string error;       // kError: what is wrong
};

// Tokens of `text`, ending with kEnd, or with kError at the first lexical error.
std::vector<Token> Tokenize(std::string_view text);

// How a token is shown in a message: 'text', "end of input", ...
std::string DescribeToken(const Token& token);

}  // namespace pn::jsonpath::internal
