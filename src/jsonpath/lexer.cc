#include "jsonpath/lexer.h"

#include <cstdio>

namespace pn::jsonpath::internal {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdPart(char c) { return IsIdStart(c) || IsDigit(c); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

TokenKind KeywordOrId(std::string_view word) {
  if (word == "and") return TokenKind::kAnd;
  if (word == "or") return TokenKind::kOr;
  if (word == "not") return TokenKind::kNot;
  if (word == "contains") return TokenKind::kContains;
  if (word == "true") return TokenKind::kTrue;
  if (word == "false") return TokenKind::kFalse;
  if (word == "null") return TokenKind::kNull;
  return TokenKind::kId;
}

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not valid UTF-8.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  size_t len;
  uint32_t cp;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
  else return 0;
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::string Hex2(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "U+%04X", c);
  return buf;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipWhitespace();
      Token token = Next();
      const bool last = token.kind == TokenKind::kEnd || token.kind == TokenKind::kError;
      tokens.push_back(std::move(token));
      if (last) return tokens;
    }
  }

 private:
  void SkipWhitespace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return;
      ++pos_;
    }
  }

  Token Make(TokenKind kind, size_t start) {
    Token t;
    t.kind = kind;
    t.offset = start;
    t.text = text_.substr(start, pos_ - start);
    return t;
  }

  Token Error(size_t at, std::string message) {
    Token t;
    t.kind = TokenKind::kError;
    t.offset = at;
    t.error = std::move(message);
    return t;
  }

  Token Next() {
    const size_t start = pos_;
    if (pos_ >= text_.size()) return Make(TokenKind::kEnd, start);
    const char c = text_[pos_];
    auto single = [&](TokenKind kind) {
      ++pos_;
      return Make(kind, start);
    };
    auto one_or_two = [&](char second, TokenKind two, TokenKind one) {
      pos_ += pos_ + 1 < text_.size() && text_[pos_ + 1] == second ? 2 : 1;
      return Make(pos_ - start == 2 ? two : one, start);
    };
    switch (c) {
      case '$': return single(TokenKind::kRoot);
      case '@': return single(TokenKind::kCurrent);
      case '.': return one_or_two('.', TokenKind::kDotDot, TokenKind::kDot);
      case '*': return single(TokenKind::kStar);
      case '?': return single(TokenKind::kQuestion);
      case ',': return single(TokenKind::kComma);
      case ':': return single(TokenKind::kColon);
      case '(': return single(TokenKind::kLParen);
      case ')': return single(TokenKind::kRParen);
      case '[': return single(TokenKind::kLBracket);
      case ']': return single(TokenKind::kRBracket);
      case '{': return single(TokenKind::kLBrace);
      case '}': return single(TokenKind::kRBrace);
      case '=': return single(TokenKind::kEq);
      case '<': return one_or_two('=', TokenKind::kLe, TokenKind::kLt);
      case '>': return one_or_two('=', TokenKind::kGe, TokenKind::kGt);
      case '!':
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '=') {
          pos_ += 2;
          return Make(TokenKind::kNe, start);
        }
        return Error(start, "unexpected character '!' (the operators are = and !=; negation is 'not')");
      case '"': return String();
      default: break;
    }
    if (c == '-' || IsDigit(c)) return Number();
    if (IsIdStart(c)) {
      while (pos_ < text_.size() && IsIdPart(text_[pos_])) ++pos_;
      return Make(KeywordOrId(text_.substr(start, pos_ - start)), start);
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return Error(start, "unexpected control character " + Hex2(byte) +
                              " (only space, TAB, CR and LF separate tokens)");
    }
    if (byte >= 0x80) {
      if (Utf8SequenceLength(text_, start) == 0) return Error(start, "invalid UTF-8");
      return Error(start, "unexpected character '" +
                              std::string(text_.substr(start, Utf8SequenceLength(text_, start))) +
                              "' (member names outside quotes are ASCII only; write [\"...\"])");
    }
    if (c == '\'') {
      return Error(start, "unexpected character ''' (strings use double quotes)");
    }
    return Error(start, std::string("unexpected character '") + c + "'");
  }

  // -? INT (. DIGIT+)? ([eE] [+-]? INT)?, INT = 0 | [1-9][0-9]*
  Token Number() {
    const size_t start = pos_;
    if (text_[pos_] == '-') {
      ++pos_;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) {
        return Error(start, "'-' must be followed directly by digits");
      }
    }
    if (!ScanInt()) return Error(start, "malformed number");
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
      ++pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      // The exponent is only part of the number when a valid exponent follows (longest match
      // falls back to the shorter NUMBER otherwise).
      size_t p = pos_ + 1;
      if (p < text_.size() && (text_[p] == '+' || text_[p] == '-')) ++p;
      if (p < text_.size() && IsDigit(text_[p])) {
        pos_ = p;
        ScanInt();
      }
    }
    return Make(TokenKind::kNumber, start);
  }

  bool ScanInt() {
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return false;
    if (text_[pos_] == '0') {
      ++pos_;  // no leading zeros: "01" is two numbers
      return true;
    }
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    return true;
  }

  Token String() {
    const size_t start = pos_;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"') {
        ++pos_;
        return Make(TokenKind::kString, start);
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        const char e = text_[pos_ + 1];
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
            e == 't') {
          pos_ += 2;
          continue;
        }
        if (e == 'u') {
          for (size_t k = 2; k < 6; ++k) {
            if (pos_ + k >= text_.size() || !IsHex(text_[pos_ + k])) {
              return Error(pos_, "invalid \\u escape in string (exactly 4 hex digits needed)");
            }
          }
          pos_ += 6;
          continue;
        }
        return Error(pos_, "invalid escape in string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
      if (byte < 0x20) {
        return Error(pos_, "control character " + Hex2(byte) +
                               " inside a string (write it as an escape such as \\t or \\n)");
      }
      if (byte >= 0x80) {
        const size_t len = Utf8SequenceLength(text_, pos_);
        if (len == 0) return Error(pos_, "invalid UTF-8 inside a string");
        pos_ += len;
        continue;
      }
      ++pos_;
    }
    return Error(start, "unterminated string (missing closing '\"')");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view text) { return Lexer(text).Run(); }

std::string DescribeToken(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of input";
  std::string text(token.text.substr(0, 40));
  if (token.text.size() > 40) text += "...";
  return "'" + text + "'";
}

}  // namespace pn::jsonpath::internal
