#include "jsonpath/parser.h"

#include <charconv>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jsonpath/lexer.h"
#include "jsonpath/values.h"

namespace pn::jsonpath::internal {

namespace {

constexpr std::string_view kFunctionNames[] = {"charAt", "entries", "keys",
                                               "length", "substring", "values"};
constexpr Function kFunctions[] = {Function::kCharAt, Function::kEntries, Function::kKeys,
                                   Function::kLength, Function::kSubstring, Function::kValues};

// Thrown only inside this file and turned into a Status by ParseExpression: parse errors unwind
// many recursive frames, and the first error ends the parse.
struct ParseFailure {
  size_t offset;
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), tokens_(Tokenize(text)) {}

  std::unique_ptr<Path> Run() {
    auto path = std::make_unique<Path>();
    if (Peek().kind != TokenKind::kRoot) Fail("expected '$' at the start of the path");
    Advance();
    ParseSegments(&path->root);
    if (Peek().kind != TokenKind::kEnd) {
      Fail("expected '.', '..', '[' or end of input after the path");
    }
    path->root.from_root = true;
    return path;
  }

 private:
  // Counts one nesting unit for the lifetime of the guard.
  class Nest {
   public:
    explicit Nest(Parser* p) : p_(p) {
      if (++p_->depth_ > kMaxNesting) {
        p_->Fail("expression nested too deeply (more than " + std::to_string(kMaxNesting) +
                 " levels of segments, filters, parentheses or literals)");
      }
    }
    ~Nest() { --p_->depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser* p_;
  };

  const Token& Peek(size_t ahead = 0) const {
    const size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[i];
  }
  const Token& Advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  [[noreturn]] void Fail(const std::string& expected, const std::string& hint = "") {
    const Token& t = Peek();
    if (t.kind == TokenKind::kError) throw ParseFailure{t.offset, t.error};
    throw ParseFailure{t.offset, expected + ", found " + DescribeToken(t) + hint};
  }

  void Expect(TokenKind kind, const char* what) {
    if (Peek().kind != kind) Fail(std::string("expected ") + what);
    Advance();
  }

  // segment*: each segment is one nesting unit while the rest of the chain is parsed, because
  // the evaluator recurses once per segment.
  void ParseSegments(PathExpr* path) {
    const int depth_before = depth_;
    while (true) {
      const TokenKind k = Peek().kind;
      if (k != TokenKind::kDotDot && k != TokenKind::kDot && k != TokenKind::kLBracket) break;
      if (++depth_ > kMaxNesting) {
        Fail("path too long (more than " + std::to_string(kMaxNesting) + " nested segments)");
      }
      Segment segment;
      if (k == TokenKind::kLBracket) {
        ParseBracket(&segment);
      } else {
        Advance();
        segment.descendant = k == TokenKind::kDotDot;
        if (segment.descendant && Peek().kind == TokenKind::kLBracket) {
          ParseBracket(&segment);
        } else {
          segment.selectors.push_back(ParseBareSelector(segment.descendant));
        }
      }
      path->segments.push_back(std::move(segment));
    }
    depth_ = depth_before;
    // A server keeps one parsed path per subscription: no spare capacity.
    path->segments.shrink_to_fit();
    for (Segment& s : path->segments) s.selectors.shrink_to_fit();
    path->singular = !path->segments.empty();
    for (const Segment& s : path->segments) {
      const bool simple = !s.descendant && s.selectors.size() == 1 &&
                          (s.selectors[0].kind == SelectorKind::kMember ||
                           (s.selectors[0].kind == SelectorKind::kIndex && s.selectors[0].index().fits));
      path->singular = path->singular && simple;
    }
  }

  Selector ParseBareSelector(bool after_descent) {
    const Token& t = Peek();
    Selector s;
    if (t.kind == TokenKind::kStar) {
      Advance();
      s.kind = SelectorKind::kWildcard;
      return s;
    }
    // `contains` is a keyword of the operator, but as a member name after `.` / `..` it keeps
    // meaning the member (released jsonpath2 0.4.5), spec §0.
    if (t.kind == TokenKind::kId || t.kind == TokenKind::kContains) {
      const Token& name = Advance();
      if (Peek().kind == TokenKind::kLParen) return ParseCall(name);
      s.kind = SelectorKind::kMember;
      s.name = std::string(name.text);
      return s;
    }
    const bool keyword = t.kind == TokenKind::kAnd || t.kind == TokenKind::kOr ||
                         t.kind == TokenKind::kNot || t.kind == TokenKind::kTrue ||
                         t.kind == TokenKind::kFalse || t.kind == TokenKind::kNull;
    Fail(std::string("expected a member name or '*' after '") + (after_descent ? ".." : ".") + "'",
         keyword ? " (a keyword; write [\"" + std::string(t.text) + "\"] for that member)" : "");
  }

  void ParseBracket(Segment* segment) {
    Expect(TokenKind::kLBracket, "'['");
    segment->selectors.push_back(ParseSelector());
    while (Peek().kind == TokenKind::kComma) {
      Advance();
      segment->selectors.push_back(ParseSelector());
    }
    Expect(TokenKind::kRBracket, "',' or ']'");
  }

  Selector ParseSelector() {
    const Token& t = Peek();
    Selector s;
    switch (t.kind) {
      case TokenKind::kString:
        s.kind = SelectorKind::kMember;
        s.name = std::string(Advance().text.substr(1, t.text.size() - 2));
        return s;
      case TokenKind::kNumber: {
        IntLiteral value = ParseInt(Advance(), "an array index");
        if (Peek().kind == TokenKind::kColon) {
          s.kind = SelectorKind::kSlice;
          auto bounds = std::make_unique<SliceBounds>();
          bounds->start = std::move(value);
          s.data = std::move(bounds);
          ParseSliceRest(&s);
        } else {
          s.kind = SelectorKind::kIndex;
          s.data = std::make_unique<IntLiteral>(std::move(value));
        }
        return s;
      }
      case TokenKind::kColon:
        s.kind = SelectorKind::kSlice;
        s.data = std::make_unique<SliceBounds>();
        ParseSliceRest(&s);
        return s;
      case TokenKind::kStar:
        Advance();
        s.kind = SelectorKind::kWildcard;
        return s;
      case TokenKind::kQuestion: {
        Advance();
        Nest nest(this);
        Expect(TokenKind::kLParen, "'(' after '?' (filters are written ?(...))");
        s.kind = SelectorKind::kFilter;
        s.data = ParseAnd();
        Expect(TokenKind::kRParen, "')' to close the filter");
        return s;
      }
      case TokenKind::kRoot:
      case TokenKind::kCurrent: {
        Nest nest(this);
        s.kind = SelectorKind::kNodeSubscript;
        s.data = ParsePathOperand();
        return s;
      }
      case TokenKind::kId:
      case TokenKind::kContains: {
        const Token& name = Advance();
        if (Peek().kind != TokenKind::kLParen) {
          Fail("expected '(' after '" + std::string(name.text) +
               "' (a bare name in brackets must be a function call; write [\"" +
               std::string(name.text) + "\"] for a member)");
        }
        return ParseCall(name);
      }
      default:
        Fail("expected a selector (a \"string\", an integer, a slice, '*', '?(', '$', '@' or a "
             "function call)");
    }
  }

  void ParseSliceRest(Selector* s) {
    Expect(TokenKind::kColon, "':'");
    SliceBounds& bounds = *std::get<std::unique_ptr<SliceBounds>>(s->data);
    if (Peek().kind == TokenKind::kNumber) bounds.end = ParseInt(Advance(), "a slice end");
    if (Peek().kind == TokenKind::kColon) {
      Advance();
      if (Peek().kind == TokenKind::kNumber) bounds.step = ParseInt(Advance(), "a slice step");
    }
  }

  // The token must be an integer as Python int() reads it: no fraction, no exponent.
  IntLiteral ParseInt(const Token& t, const char* what) {
    const std::string_view text = t.text;
    if (text.find_first_of(".eE") != std::string_view::npos) {
      throw ParseFailure{t.offset, std::string("expected an integer for ") + what + ", found '" +
                                       std::string(text) + "'"};
    }
    IntLiteral literal;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), literal.value);
    literal.fits = ec == std::errc() && end == text.data() + text.size();
    literal.text = text == "-0" ? "0" : std::string(text);
    return literal;
  }

  Selector ParseCall(const Token& name) {
    Selector s;
    s.kind = SelectorKind::kCall;
    auto call = std::make_unique<CallArgs>();
    bool known = false;
    for (size_t i = 0; i < std::size(kFunctionNames); ++i) {
      if (name.text == kFunctionNames[i]) {
        call->function = kFunctions[i];
        known = true;
      }
    }
    if (!known) {
      throw ParseFailure{name.offset, "callable subscript '" + std::string(name.text) +
                                          "' not found (functions: charAt, entries, keys, "
                                          "length, substring, values)"};
    }
    Nest nest(this);
    Expect(TokenKind::kLParen, "'('");
    if (Peek().kind != TokenKind::kRParen) {
      call->args.push_back(ParseOperand());
      while (Peek().kind == TokenKind::kComma) {
        Advance();
        call->args.push_back(ParseOperand());
      }
    }
    Expect(TokenKind::kRParen, "',' or ')' in the function's arguments");
    call->args.shrink_to_fit();
    s.data = std::move(call);
    return s;
  }

  std::unique_ptr<PathExpr> ParsePathOperand() {
    auto path = std::make_unique<PathExpr>();
    path->from_root = Advance().kind == TokenKind::kRoot;
    ParseSegments(path.get());
    return path;
  }

  Operand ParseOperand() {
    Operand op;
    const TokenKind k = Peek().kind;
    if (k == TokenKind::kRoot || k == TokenKind::kCurrent) {
      op.path = ParsePathOperand();
    } else {
      op.literal = ParseJsonValue();
    }
    return op;
  }

  Json ParseJsonValue() {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kString:
        Advance();
        return Json(std::string(t.text.substr(1, t.text.size() - 2)));
      case TokenKind::kNumber:
        return ParseNumberLiteral(Advance());
      case TokenKind::kTrue: Advance(); return Json(true);
      case TokenKind::kFalse: Advance(); return Json(false);
      case TokenKind::kNull: Advance(); return Json(nullptr);
      case TokenKind::kLBrace: {
        Nest nest(this);
        Advance();
        Json object = Json::object();
        if (Peek().kind != TokenKind::kRBrace) {
          ParseMember(&object);
          while (Peek().kind == TokenKind::kComma) {
            Advance();
            ParseMember(&object);
          }
        }
        Expect(TokenKind::kRBrace, "',' or '}' in the object");
        return object;
      }
      case TokenKind::kLBracket: {
        Nest nest(this);
        Advance();
        Json array = Json::array();
        if (Peek().kind != TokenKind::kRBracket) {
          array.push_back(ParseJsonValue());
          while (Peek().kind == TokenKind::kComma) {
            Advance();
            array.push_back(ParseJsonValue());
          }
        }
        Expect(TokenKind::kRBracket, "',' or ']' in the array");
        return array;
      }
      default:
        Fail("expected '$', '@' or a JSON value (string, number, true, false, null, {...}, [...])");
    }
  }

  void ParseMember(Json* object) {
    if (Peek().kind != TokenKind::kString) Fail("expected a \"string\" key in the object");
    const Token& key = Advance();
    Expect(TokenKind::kColon, "':' after the object key");
    // Python dict assignment: the last duplicate wins, at the first one's position.
    (*object)[std::string(key.text.substr(1, key.text.size() - 2))] = ParseJsonValue();
  }

  Json ParseNumberLiteral(const Token& t) {
    const std::string_view text = t.text;
    if (text.find_first_of(".eE") == std::string_view::npos) {
      return IntLiteralJson(ParseInt(t, "a number"));
    }
    double d = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec != std::errc() || end != text.data() + text.size()) {
      // Out of range: overflow is an infinity and underflow zero or a subnormal, as Python's
      // float() gives; strtod reports exactly that.
      d = std::strtod(std::string(text).c_str(), nullptr);
    }
    return Json(d);
  }

  // expr ::= or-expr ("and" or-expr)*   -- `and` binds loosest (QUIRK, spec §4)
  std::unique_ptr<Expr> ParseAnd() { return ParseChain(ExprKind::kAnd); }
  // or-expr ::= not-expr ("or" not-expr)*
  std::unique_ptr<Expr> ParseOr() { return ParseChain(ExprKind::kOr); }

  std::unique_ptr<Expr> ParseChain(ExprKind kind) {
    const TokenKind separator = kind == ExprKind::kAnd ? TokenKind::kAnd : TokenKind::kOr;
    auto parse_item = [&] { return kind == ExprKind::kAnd ? ParseOr() : ParseNot(); };
    std::vector<std::unique_ptr<Expr>> items;
    auto add = [&](std::unique_ptr<Expr> item) {
      // Parenthesized chains of the same operator are flattened, as the library's listener does.
      if (item->kind == kind) {
        for (auto& child : item->children) items.push_back(std::move(child));
      } else {
        items.push_back(std::move(item));
      }
    };
    add(parse_item());
    while (Peek().kind == separator) {
      Advance();
      add(parse_item());
    }
    if (items.size() == 1) return std::move(items[0]);
    auto chain = std::make_unique<Expr>();
    chain->kind = kind;
    items.shrink_to_fit();
    chain->children = std::move(items);
    return chain;
  }

  std::unique_ptr<Expr> ParseNot() {
    Nest nest(this);
    if (Peek().kind == TokenKind::kNot) {
      Advance();
      std::unique_ptr<Expr> inner = ParseNot();
      if (inner->kind == ExprKind::kNot) return std::move(inner->children[0]);  // not not X = X
      auto negation = std::make_unique<Expr>();
      negation->kind = ExprKind::kNot;
      negation->children.push_back(std::move(inner));
      return negation;
    }
    if (Peek().kind == TokenKind::kLParen) {
      Advance();
      std::unique_ptr<Expr> inner = ParseAnd();
      Expect(TokenKind::kRParen, "')' or an operator");
      return inner;
    }
    auto expr = std::make_unique<Expr>();
    expr->left = ParseOperand();
    std::optional<CompareOp> op;
    switch (Peek().kind) {
      case TokenKind::kEq: op = CompareOp::kEq; break;
      case TokenKind::kNe: op = CompareOp::kNe; break;
      case TokenKind::kLt: op = CompareOp::kLt; break;
      case TokenKind::kLe: op = CompareOp::kLe; break;
      case TokenKind::kGt: op = CompareOp::kGt; break;
      case TokenKind::kGe: op = CompareOp::kGe; break;
      case TokenKind::kContains: op = CompareOp::kContains; break;
      default: break;
    }
    if (!op) {
      expr->kind = ExprKind::kExists;
      return expr;
    }
    Advance();
    expr->kind = ExprKind::kCompare;
    expr->op = *op;
    expr->right = ParseOperand();
    return expr;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// Error positions count code points, as the Python library does.
size_t CodePointPosition(std::string_view text, size_t byte_offset) {
  return CodePointCount(text.substr(0, std::min(byte_offset, text.size())));
}

}  // namespace

Result<std::unique_ptr<Path>> ParseExpression(std::string_view text) {
  try {
    return Parser(text).Run();
  } catch (const ParseFailure& failure) {
    return InvalidArgumentError("jsonpath syntax error at position " +
                                std::to_string(CodePointPosition(text, failure.offset)) + ": " +
                                failure.message);
  }
}

}  // namespace pn::jsonpath::internal
