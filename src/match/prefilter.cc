#include "match/prefilter.h"

#include <algorithm>
#include <cctype>
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
  ExprReader(const std::vector<Token>& toks, size_t begin, size_t end)
      : t_(toks), pos_(begin), end_(end) {}

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
      if (merged && rhs.required.size() == 1 && rhs.required[0].attribute == merged->attribute) {
        for (auto& v : rhs.required[0].values) merged->values.push_back(std::move(v));
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
    std::optional<std::string> lhs_attr, lhs_str, rhs_attr, rhs_str;
    Operand(&lhs_attr, &lhs_str);
    if (failed_ || pos_ >= end_ || t_[pos_].kind != Tok::kOp) {
      if (pos_ < end_ && IsId("contains")) {
        ++pos_;
        Operand(&rhs_attr, &rhs_str);
      }
      return {};
    }
    const bool equality = t_[pos_].text == "=";
    ++pos_;
    Operand(&rhs_attr, &rhs_str);
    if (failed_ || !equality) return {};
    if (lhs_attr && rhs_str) return {{{*lhs_attr, {*rhs_str}}}};
    if (rhs_attr && lhs_str) return {{{*rhs_attr, {*lhs_str}}}};
    return {};
  }

  // Consumes one operand. Sets *attr for `@.name` / `@["name"]` / `$…` (exactly one member
  // step), *str for a lone string literal.
  void Operand(std::optional<std::string>* attr, std::optional<std::string>* str) {
    if (pos_ >= end_) {
      failed_ = true;
      return;
    }
    const Token& tok = t_[pos_];
    if (tok.kind == Tok::kRoot || tok.kind == Tok::kCurrent) {
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
      if (steps == 1 && name) *attr = std::move(name);
      return;
    }
    if (tok.kind == Tok::kString) {
      *str = tok.text;
      ++pos_;
      return;
    }
    if (tok.kind == Tok::kNumber || (tok.kind == Tok::kId && (tok.text == "true" ||
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
  bool failed_ = false;
};

bool IsPunct(const Token& t, std::string_view p) { return t.kind == Tok::kPunct && t.text == p; }

}  // namespace

std::vector<RequiredEquality> AnalyzeRequiredEqualities(std::string_view jsonpath_text) {
  auto toks = Tokenize(jsonpath_text);
  if (!toks) return {};
  const auto& t = *toks;
  // `$ [ ? ( expr ) ] ...` with the filter as the bracket's only selector.
  if (t.size() < 6 || t[0].kind != Tok::kRoot || !IsPunct(t[1], "[") || !IsPunct(t[2], "?") ||
      !IsPunct(t[3], "(")) {
    return {};
  }
  int depth = 0;
  size_t close = 3;
  for (; close < t.size(); ++close) {
    if (t[close].kind != Tok::kPunct) continue;
    const std::string& p = t[close].text;
    if (p == "(" || p == "[" || p == "{") ++depth;
    if (p == ")" || p == "]" || p == "}") --depth;
    if (depth == 0) break;
  }
  if (close + 1 >= t.size() || !IsPunct(t[close], ")") || !IsPunct(t[close + 1], "]")) return {};
  ExprReader reader(t, 4, close);
  Facts facts = reader.Expr();
  if (reader.failed()) return {};
  for (auto& req : facts.required) {
    std::sort(req.values.begin(), req.values.end());
    req.values.erase(std::unique(req.values.begin(), req.values.end()), req.values.end());
  }
  return facts.required;
}

bool Satisfies(const RequiredEquality& req, const Json& event) {
  if (!event.is_object()) return false;
  auto it = event.find(req.attribute);
  if (it == event.end() || !it->is_string()) return false;
  const auto& value = it->get_ref<const std::string&>();
  return std::binary_search(req.values.begin(), req.values.end(), value);
}

}  // namespace pn::match
