#include "match/prefilter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

namespace pn::match {
namespace {

enum class Tok { kRoot, kCurrent, kDotDot, kDot, kPunct, kOp, kId, kString, kNumber };

struct Token {
  Tok kind;
  std::string text;  // punctuation/operator/identifier text, or a string's raw content
};

bool IsIdStart(char c) { return c == '_' || std::isalpha(static_cast<unsigned char>(c)); }
bool IsIdChar(char c) { return c == '_' || std::isalnum(static_cast<unsigned char>(c)); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// jsonpath2's lexical rules (reference/jsonpath2.md §2); nullopt on anything it would reject.
std::optional<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '$') {
      out.push_back({Tok::kRoot, "$"}), ++i;
    } else if (c == '@') {
      out.push_back({Tok::kCurrent, "@"}), ++i;
    } else if (c == '.') {
      if (i + 1 < s.size() && s[i + 1] == '.') {
        out.push_back({Tok::kDotDot, ".."}), i += 2;
      } else {
        out.push_back({Tok::kDot, "."}), ++i;
      }
    } else if (std::string_view("*?,:()[]{}").find(c) != std::string_view::npos) {
      out.push_back({Tok::kPunct, std::string(1, c)}), ++i;
    } else if (c == '=' || c == '<' || c == '>' || c == '!') {
      if (i + 1 < s.size() && s[i + 1] == '=' && c != '=') {
        out.push_back({Tok::kOp, std::string(s.substr(i, 2))}), i += 2;
      } else if (c == '!') {
        return std::nullopt;
      } else {
        out.push_back({Tok::kOp, std::string(1, c)}), ++i;
      }
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != '"') {
        if (static_cast<unsigned char>(s[j]) < 0x20) return std::nullopt;
        j += s[j] == '\\' ? 2 : 1;
      }
      if (j >= s.size()) return std::nullopt;
      out.push_back({Tok::kString, std::string(s.substr(i + 1, j - i - 1))});
      i = j + 1;
    } else if (c == '-' || IsDigit(c)) {
      size_t j = i + (c == '-' ? 1 : 0);
      if (j >= s.size() || !IsDigit(s[j])) return std::nullopt;
      while (j < s.size() && (IsDigit(s[j]) || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
                              ((s[j] == '+' || s[j] == '-') && (s[j - 1] == 'e' || s[j - 1] == 'E')))) {
        ++j;
      }
      out.push_back({Tok::kNumber, std::string(s.substr(i, j - i))});
      i = j;
    } else if (IsIdStart(c)) {
      size_t j = i;
      while (j < s.size() && IsIdChar(s[j])) ++j;
      out.push_back({Tok::kId, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// What a filter sub-expression tells us: the attribute/value sets it forces, if any.
struct Facts {
  std::vector<RequiredEquality> required;  // all must hold (conjunction)
};

// Recursive-descent reader of a filter expression with jsonpath2 precedence
// (comparison > not > or > and). It only extracts facts; any surprise marks it failed.
class ExprReader {
 public:
  // `within`: "" for a filter applied to the event, else the member whose elements it tests.
  ExprReader(const std::vector<Token>& toks, size_t begin, size_t end, std::string within)
      : t_(toks), pos_(begin), end_(end), within_(std::move(within)) {}

  bool failed() const { return failed_ || pos_ != end_; }

  // expr ::= or-expr ("and" expr)?   -> union of the conjuncts' facts
  Facts Expr() {
    Facts f = OrExpr();
    while (!failed_ && IsId("and")) {
      ++pos_;
      Facts rhs = OrExpr();
      f.required.insert(f.required.end(), rhs.required.begin(), rhs.required.end());
    }
    return f;
  }

 private:
  // or-expr: facts survive only when every alternative constrains the same single attribute.
  Facts OrExpr() {
    Facts f = NotExpr();
    bool is_or = false;
    std::optional<RequiredEquality> merged;
    if (f.required.size() == 1) merged = f.required[0];
    while (!failed_ && IsId("or")) {
      ++pos_;
      is_or = true;
      Facts rhs = NotExpr();
      if (merged && rhs.required.size() == 1 && rhs.required[0].attribute == merged->attribute &&
          rhs.required[0].within == merged->within) {
        for (auto& v : rhs.required[0].values) merged->values.push_back(std::move(v));
        for (int64_t i : rhs.required[0].integers) merged->integers.push_back(i);
      } else {
        merged.reset();
      }
    }
    if (!is_or) return f;
    Facts out;
    if (merged) out.required.push_back(std::move(*merged));
    return out;
  }

  Facts NotExpr() {
    if (IsId("not")) {
      ++pos_;
      (void)NotExpr();
      return {};  // a negation forces nothing we can index
    }
    if (IsPunct("(")) {
      ++pos_;
      Facts f = Expr();
      if (!IsPunct(")")) failed_ = true;
      ++pos_;
      return f;
    }
    OperandFacts lhs, rhs;
    Operand(&lhs);
    if (failed_ || pos_ >= end_ || t_[pos_].kind != Tok::kOp) {
      if (pos_ < end_ && IsId("contains")) {
        ++pos_;
        Operand(&rhs);
      }
      return {};
    }
    const bool equality = t_[pos_].text == "=";
    ++pos_;
    Operand(&rhs);
    if (failed_ || !equality) return {};
    if (lhs.attr && (rhs.str || rhs.integer)) return Requirement(lhs, rhs);
    if (rhs.attr && (lhs.str || lhs.integer)) return Requirement(rhs, lhs);
    return {};
  }

  struct OperandFacts {
    std::optional<std::string> attr;  // `@.name` / `@["name"]` / `$…`: exactly one member step
    bool from_root = false;
    std::optional<std::string> str;   // a lone string literal (raw)
    std::optional<int64_t> integer;   // a lone integer literal within int64
  };

  Facts Requirement(const OperandFacts& member, const OperandFacts& literal) const {
    RequiredEquality req;
    req.attribute = *member.attr;
    req.within = member.from_root ? std::string() : within_;
    if (literal.str) req.values.push_back(*literal.str);
    if (literal.integer) req.integers.push_back(*literal.integer);
    return {{std::move(req)}};
  }

  // Consumes one operand and says what it is.
  void Operand(OperandFacts* out) {
    if (pos_ >= end_) {
      failed_ = true;
      return;
    }
    const Token& tok = t_[pos_];
    if (tok.kind == Tok::kRoot || tok.kind == Tok::kCurrent) {
      out->from_root = tok.kind == Tok::kRoot;
      ++pos_;
      int steps = 0;
      std::optional<std::string> name;
      while (!failed_ && pos_ < end_) {
        const Token& s = t_[pos_];
        if (s.kind == Tok::kDot && pos_ + 1 < end_ && t_[pos_ + 1].kind == Tok::kId &&
            !(pos_ + 2 < end_ && IsPunctAt(pos_ + 2, "("))) {
          name = t_[pos_ + 1].text;
          pos_ += 2;
        } else if (s.kind == Tok::kPunct && s.text == "[" && pos_ + 2 < end_ &&
                   t_[pos_ + 1].kind == Tok::kString && IsPunctAt(pos_ + 2, "]")) {
          name = t_[pos_ + 1].text;
          pos_ += 3;
        } else if (s.kind == Tok::kDot || s.kind == Tok::kDotDot) {
          name.reset();
          ++pos_;
          if (IsPunct("[")) {
            SkipBalanced();
          } else if (pos_ < end_) {
            ++pos_;  // `*` or an identifier
            if (IsPunct("(")) SkipBalanced();
          }
        } else if (s.kind == Tok::kPunct && s.text == "[") {
          name.reset();
          SkipBalanced();
        } else {
          break;
        }
        ++steps;
      }
      if (steps == 1 && name) out->attr = std::move(name);
      return;
    }
    if (tok.kind == Tok::kString) {
      out->str = tok.text;
      ++pos_;
      return;
    }
    if (tok.kind == Tok::kNumber) {
      // Only plain integers: a float literal is equal to more than one key's worth of values.
      int64_t value = 0;
      const char* first = tok.text.data();
      const char* last = first + tok.text.size();
      const auto [end, ec] = std::from_chars(first, last, value);
      if (ec == std::errc() && end == last) out->integer = value;
      ++pos_;
      return;
    }
    if ((tok.kind == Tok::kId && (tok.text == "true" ||
                                                            tok.text == "false" ||
                                                            tok.text == "null"))) {
      ++pos_;
      return;
    }
    if (IsPunct("[") || IsPunct("{")) {
      SkipBalanced();
      return;
    }
    failed_ = true;
  }

  // Skips from an opening bracket/brace/parenthesis to just past its partner.
  void SkipBalanced() {
    int depth = 0;
    do {
      if (pos_ >= end_) {
        failed_ = true;
        return;
      }
      const Token& tok = t_[pos_];
      if (tok.kind == Tok::kPunct) {
        if (tok.text == "[" || tok.text == "(" || tok.text == "{") ++depth;
        if (tok.text == "]" || tok.text == ")" || tok.text == "}") --depth;
      }
      ++pos_;
    } while (depth > 0);
  }

  bool IsId(std::string_view word) const {
    return pos_ < end_ && t_[pos_].kind == Tok::kId && t_[pos_].text == word;
  }
  bool IsPunct(std::string_view p) const { return IsPunctAt(pos_, p); }
  bool IsPunctAt(size_t at, std::string_view p) const {
    return at < end_ && t_[at].kind == Tok::kPunct && t_[at].text == p;
  }

  const std::vector<Token>& t_;
  size_t pos_;
  size_t end_;
  std::string within_;
  bool failed_ = false;
};

bool IsPunct(const Token& t, std::string_view p) { return t.kind == Tok::kPunct && t.text == p; }

// If t[at...] is `[?( expr )]` with the filter as the bracket's only selector, returns the
// position of its `)`; else 0.
size_t FilterClose(const std::vector<Token>& t, size_t at) {
  if (at + 3 >= t.size() || !IsPunct(t[at], "[") || !IsPunct(t[at + 1], "?") ||
      !IsPunct(t[at + 2], "(")) {
    return 0;
  }
  int depth = 0;
  size_t close = at + 2;
  for (; close < t.size(); ++close) {
    if (t[close].kind != Tok::kPunct) continue;
    const std::string& p = t[close].text;
    if (p == "(" || p == "[" || p == "{") ++depth;
    if (p == ")" || p == "]" || p == "}") --depth;
    if (depth == 0) break;
  }
  if (close + 1 >= t.size() || !IsPunct(t[close], ")") || !IsPunct(t[close + 1], "]")) return 0;
  return close;
}

// Reads the filter at t[at] (see FilterClose) into *out; false when it is not one or unreadable.
bool ReadFilter(const std::vector<Token>& t, size_t* at, const std::string& within,
                std::vector<RequiredEquality>* out) {
  const size_t close = FilterClose(t, *at);
  if (close == 0) return false;
  ExprReader reader(t, *at + 3, close, within);
  Facts facts = reader.Expr();
  if (reader.failed()) return false;
  for (auto& req : facts.required) out->push_back(std::move(req));
  *at = close + 2;
  return true;
}

// A member step `.name` / `["name"]` at t[*at]: its name, advancing past it.
std::optional<std::string> MemberStep(const std::vector<Token>& t, size_t* at) {
  const size_t i = *at;
  if (i + 1 < t.size() && t[i].kind == Tok::kDot && t[i + 1].kind == Tok::kId &&
      !(i + 2 < t.size() && IsPunct(t[i + 2], "("))) {
    *at = i + 2;
    return t[i + 1].text;
  }
  if (i + 2 < t.size() && IsPunct(t[i], "[") && t[i + 1].kind == Tok::kString &&
      IsPunct(t[i + 2], "]")) {
    *at = i + 3;
    return t[i + 1].text;
  }
  return std::nullopt;
}

// A wildcard step `.*` / `[*]` at t[*at], advancing past it.
bool WildcardStep(const std::vector<Token>& t, size_t* at) {
  const size_t i = *at;
  if (i + 1 < t.size() && t[i].kind == Tok::kDot && IsPunct(t[i + 1], "*")) {
    *at = i + 2;
    return true;
  }
  if (i + 2 < t.size() && IsPunct(t[i], "[") && IsPunct(t[i + 1], "*") && IsPunct(t[i + 2], "]")) {
    *at = i + 3;
    return true;
  }
  return false;
}

template <typename T>
void SortUnique(std::vector<T>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace

std::vector<RequiredEquality> AnalyzeRequiredEqualities(std::string_view jsonpath_text) {
  auto toks = Tokenize(jsonpath_text);
  if (!toks || toks->empty() || (*toks)[0].kind != Tok::kRoot) return {};
  const auto& t = *toks;
  std::vector<RequiredEquality> out;
  size_t at = 1;
  // Filters applied to the event itself; each one must hold.
  while (ReadFilter(t, &at, "", &out)) {
  }
  // Then `member[*][?(...)]`: the filter tests the member's elements. A filter that failed
  // to read above leaves `at` on it, so it is not mistaken for this shape.
  size_t step = at;
  if (auto member = MemberStep(t, &step); member && WildcardStep(t, &step)) {
    ReadFilter(t, &step, *member, &out);
  }
  for (auto& req : out) {
    SortUnique(&req.values);
    SortUnique(&req.integers);
  }
  return out;
}

std::string StringKey(std::string_view raw_literal) {
  std::string key;
  key.reserve(raw_literal.size() + 1);
  key.push_back('s');
  key.append(raw_literal);
  return key;
}

std::string IntegerKey(int64_t value) { return "i" + std::to_string(value); }

std::optional<std::string> EqualityKey(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return StringKey(value.get_ref<const std::string&>());
    case Json::value_t::boolean:  // Python: True == 1, False == 0
      return IntegerKey(value.get<bool>() ? 1 : 0);
    case Json::value_t::number_integer:
      return IntegerKey(value.get<int64_t>());
    case Json::value_t::number_unsigned: {
      const uint64_t u = value.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;  // no literal is this big
      return IntegerKey(static_cast<int64_t>(u));
    }
    case Json::value_t::number_float: {
      const double d = value.get<double>();
      // Exactly integral and inside int64: equal to that integer literal (1.0 == 1).
      if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || std::trunc(d) != d) {
        return std::nullopt;
      }
      return IntegerKey(static_cast<int64_t>(d));
    }
    default:
      return std::nullopt;
  }
}

namespace {

bool Holds(const RequiredEquality& req, const Json& object) {
  if (!object.is_object()) return false;
  auto it = object.find(req.attribute);
  if (it == object.end()) return false;
  if (it->is_string()) {
    return std::binary_search(req.values.begin(), req.values.end(),
                              it->get_ref<const std::string&>());
  }
  auto key = EqualityKey(*it);
  if (!key || (*key)[0] != 'i') return false;
  int64_t v = 0;
  std::from_chars(key->data() + 1, key->data() + key->size(), v);
  return std::binary_search(req.integers.begin(), req.integers.end(), v);
}

}  // namespace

bool Satisfies(const RequiredEquality& req, const Json& event) {
  if (req.within.empty()) return Holds(req, event);
  if (!event.is_object()) return false;
  auto it = event.find(req.within);
  if (it == event.end() || !it->is_structured()) return false;
  for (const auto& element : *it) {  // array elements or object member values
    if (Holds(req, element)) return true;
  }
  return false;
}

}  // namespace pn::match
