#include "jsonpath/evaluator.h"

#include <charconv>
#include <vector>

#include "jsonpath/functions.h"
#include "jsonpath/slice.h"
#include "jsonpath/values.h"

namespace pn::jsonpath::internal {

namespace {

// Restores the normalized path to its length at construction.
class PathMark {
 public:
  explicit PathMark(std::string* path) : path_(path), length_(path ? path->size() : 0) {}
  ~PathMark() {
    if (path_) path_->resize(length_);
  }
  PathMark(const PathMark&) = delete;
  PathMark& operator=(const PathMark&) = delete;

 private:
  std::string* path_;
  size_t length_;
};

void AppendIndexStep(int64_t index, std::string* path) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, index);
  path->push_back('[');
  path->append(buf, end);
  path->push_back(']');
}

void AppendMemberStep(const std::string& name, std::string* path) {
  path->push_back('[');
  AppendPythonJsonString(name, path);
  path->push_back(']');
}

bool ApplyMember(const std::string& name, const Json& v, std::string* path, Sink next) {
  if (!v.is_object()) return false;
  const Json* child = FindMember(v, name);
  if (child == nullptr) return false;
  PathMark mark(path);
  if (path) AppendMemberStep(name, path);
  return next(*child);
}

// `rendered` is what the path shows: the index as written, or true/false for a boolean.
bool ApplyIndex(int64_t index, const char* rendered, const Json& v, std::string* path, Sink next) {
  if (!v.is_array()) return false;
  const int64_t at = ResolveIndex(index, v.size());
  if (at < 0) return false;
  PathMark mark(path);
  if (path) {
    if (rendered) {
      path->append("[").append(rendered).append("]");
    } else {
      AppendIndexStep(index, path);
    }
  }
  return next(v[static_cast<size_t>(at)]);
}

bool ApplySlice(const Selector& s, const Json& v, Context& ctx, std::string* path, Sink next) {
  if (!v.is_array()) return false;
  if (SliceStepIsZero(s)) {
    ctx.Fail("slice step cannot be zero (Python: range() arg 3 must not be zero)");
    return true;
  }
  const auto n = static_cast<int64_t>(v.size());
  return ForEachSliceIndex(s, n, [&](int64_t k) {
    PathMark mark(path);
    if (path) AppendIndexStep(k, path);
    return next(v[static_cast<size_t>(k >= 0 ? k : k + n)]);
  });
}

bool ApplyWildcard(const Json& v, std::string* path, Sink next) {
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      PathMark mark(path);
      if (path) AppendIndexStep(static_cast<int64_t>(i), path);
      if (next(v[i])) return true;
    }
  } else if (v.is_object()) {
    for (const auto& member : v.get_ref<const Json::object_t&>()) {
      PathMark mark(path);
      if (path) AppendMemberStep(member.first, path);
      if (next(member.second)) return true;
    }
  }
  return false;
}

bool ApplyNodeSubscript(const Selector& s, const Json& v, Context& ctx, std::string* path,
                        Sink next) {
  const Json& start = s.subpath().from_root ? *ctx.root : v;
  return Walk(s.subpath(), 0, start, ctx, nullptr, [&](const Json& key) {
    switch (key.type()) {
      case Json::value_t::string:
        return ApplyMember(key.get_ref<const std::string&>(), v, path, next);
      case Json::value_t::boolean:  // a Python bool is an int (QUIRK); the path shows true/false
        return ApplyIndex(key.get<bool>() ? 1 : 0, key.get<bool>() ? "true" : "false", v, path,
                          next);
      case Json::value_t::number_integer:
        return ApplyIndex(key.get<int64_t>(), nullptr, v, path, next);
      case Json::value_t::number_unsigned:  // beyond int64: past any array's end
        return key.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX) &&
               ApplyIndex(static_cast<int64_t>(key.get<uint64_t>()), nullptr, v, path, next);
      default:  // floats (even 1.0), null, arrays, objects select nothing
        return false;
    }
  });
}

bool ApplyCall(const Selector& s, const Json& v, Context& ctx, std::string* path, Sink next) {
  // Like itertools.product, every argument is evaluated in full before the first call.
  std::vector<std::vector<Json>> values(s.call().args.size());
  for (size_t i = 0; i < s.call().args.size(); ++i) {
    const Operand& arg = s.call().args[i];
    if (!arg.path) {
      values[i].push_back(arg.literal);
      continue;
    }
    const Json& start = arg.path->from_root ? *ctx.root : v;
    Walk(*arg.path, 0, start, ctx, nullptr, [&](const Json& x) {
      values[i].push_back(x);
      return false;
    });
    if (ctx.failed) return true;
    if (values[i].empty()) return false;  // an empty argument list means no calls at all
  }
  // The Cartesian product, first argument varying slowest.
  std::vector<size_t> at(values.size(), 0);
  std::vector<const Json*> args(values.size());
  while (true) {
    for (size_t i = 0; i < values.size(); ++i) args[i] = &values[i][at[i]];
    Json result;
    if (CallFunction(s.call().function, v, args, &result)) {
      PathMark mark(path);
      if (path) {
        path->append("[").append(FunctionName(s.call().function)).append("(");
        for (size_t i = 0; i < args.size(); ++i) {
          if (i > 0) path->push_back(',');
          AppendPyLiteral(*args[i], path);
        }
        path->append(")]");
      }
      if (next(result)) return true;
    }
    size_t i = values.size();
    while (i > 0 && ++at[i - 1] == values[i - 1].size()) at[--i] = 0;
    if (i == 0) return false;
  }
}

bool ApplySelector(const Selector& s, const Json& v, Context& ctx, std::string* path, Sink next) {
  switch (s.kind) {
    case SelectorKind::kMember:
      return ApplyMember(s.name, v, path, next);
    case SelectorKind::kIndex:
      return s.index().fits && ApplyIndex(s.index().value, nullptr, v, path, next);
    case SelectorKind::kSlice:
      return ApplySlice(s, v, ctx, path, next);
    case SelectorKind::kWildcard:
      return ApplyWildcard(v, path, next);
    case SelectorKind::kFilter:
      // The filter tests the value itself and yields it, adding no path step (QUIRK, §5.6).
      if (EvalExpr(s.filter(), v, ctx)) return next(v);
      return ctx.failed;
    case SelectorKind::kNodeSubscript:
      return ApplyNodeSubscript(s, v, ctx, path, next);
    case SelectorKind::kCall:
      return ApplyCall(s, v, ctx, path, next);
  }
  return false;
}

bool ApplySegment(const Segment& segment, const Json& v, Context& ctx, std::string* path,
                  Sink next) {
  for (const Selector& s : segment.selectors) {
    if (ApplySelector(s, v, ctx, path, next)) return true;
  }
  return false;
}

// `..X`: X at every node in pre-order (the start included), children in document order. An
// explicit stack keeps deep documents off the call stack.
bool Descend(const Segment& segment, const Json& start, Context& ctx, std::string* path,
             Sink next) {
  if (ApplySegment(segment, start, ctx, path, next)) return true;
  if (!start.is_structured() || start.empty()) return false;
  struct Frame {
    const Json* node;
    size_t next_child;
    size_t path_length;
  };
  std::vector<Frame> stack;
  stack.push_back({&start, 0, path ? path->size() : 0});
  const size_t base_length = path ? path->size() : 0;
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const Json& node = *frame.node;
    if (frame.next_child >= node.size()) {
      stack.pop_back();
      continue;
    }
    const size_t i = frame.next_child++;
    if (path) path->resize(frame.path_length);
    const Json* child;
    if (node.is_array()) {
      child = &node[i];
      if (path) AppendIndexStep(static_cast<int64_t>(i), path);
    } else {
      const auto& member = *(node.get_ref<const Json::object_t&>().begin() + static_cast<ptrdiff_t>(i));
      child = &member.second;
      if (path) AppendMemberStep(member.first, path);
    }
    if (ApplySegment(segment, *child, ctx, path, next)) {
      if (path) path->resize(base_length);
      return true;
    }
    if (child->is_structured() && !child->empty()) {
      stack.push_back({child, 0, path ? path->size() : 0});
    }
  }
  if (path) path->resize(base_length);
  return false;
}

}  // namespace

const Json* ResolveSingular(const PathExpr& path, const Json& start) {
  const Json* v = &start;
  for (const Segment& segment : path.segments) {
    const Selector& s = segment.selectors[0];
    if (s.kind == SelectorKind::kMember) {
      if (!v->is_object()) return nullptr;
      v = FindMember(*v, s.name);
      if (v == nullptr) return nullptr;
    } else {
      if (!v->is_array()) return nullptr;
      const int64_t at = ResolveIndex(s.index().value, v->size());
      if (at < 0) return nullptr;
      v = &(*v)[static_cast<size_t>(at)];
    }
  }
  return v;
}

bool Walk(const PathExpr& path, size_t segment, const Json& value, Context& ctx,
          std::string* normalized, Sink sink) {
  if (segment == path.segments.size()) return sink(value);
  const Segment& current = path.segments[segment];
  auto next = [&](const Json& child) {
    return Walk(path, segment + 1, child, ctx, normalized, sink);
  };
  if (current.descendant) return Descend(current, value, ctx, normalized, next);
  return ApplySegment(current, value, ctx, normalized, next);
}

}  // namespace pn::jsonpath::internal
