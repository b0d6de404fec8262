#include "jsonpath/functions.h"

#include <algorithm>
#include <string>

#include "jsonpath/values.h"

namespace pn::jsonpath::internal {

namespace {

// Python's slice-bound normalization for a sequence of `length` items (step 1).
int64_t ClampSliceBound(int64_t bound, int64_t length) {
  if (bound < 0) bound = bound < -length ? 0 : bound + length;
  return std::min(bound, length);
}

bool Length(const Json& v, const std::vector<const Json*>& args, Json* result) {
  if (!args.empty()) return false;
  if (v.is_array()) {
    *result = v.size();
  } else if (v.is_string()) {
    *result = CodePointCount(v.get_ref<const std::string&>());
  } else {
    return false;
  }
  return true;
}

bool Keys(const Json& v, const std::vector<const Json*>& args, Json* result) {
  if (!args.empty() || !v.is_structured()) return false;
  *result = Json::array();
  if (v.is_object()) {
    for (const auto& member : v.get_ref<const Json::object_t&>()) result->push_back(member.first);
  } else {
    for (size_t i = 0; i < v.size(); ++i) result->push_back(i);
  }
  return true;
}

bool Values(const Json& v, const std::vector<const Json*>& args, Json* result) {
  if (!args.empty() || !v.is_structured()) return false;
  if (v.is_array()) {
    *result = v;
    return true;
  }
  *result = Json::array();
  for (const auto& member : v.get_ref<const Json::object_t&>()) result->push_back(member.second);
  return true;
}

bool Entries(const Json& v, const std::vector<const Json*>& args, Json* result) {
  if (!args.empty() || !v.is_structured()) return false;
  *result = Json::array();
  if (v.is_object()) {
    for (const auto& member : v.get_ref<const Json::object_t&>()) {
      result->push_back(Json::array({Json(member.first), member.second}));
    }
  } else {
    for (size_t i = 0; i < v.size(); ++i) result->push_back(Json::array({Json(i), v[i]}));
  }
  return true;
}

bool CharAt(const Json& v, const std::vector<const Json*>& args, Json* result) {
  int64_t index;
  if (!v.is_string() || args.size() != 1 || !PyIntSaturated(*args[0], &index)) return false;
  const auto& text = v.get_ref<const std::string&>();
  const auto length = static_cast<int64_t>(CodePointCount(text));
  if (index < 0) index = index < -length ? -1 : index + length;  // Python indexing
  if (index < 0 || index >= length) return false;                 // IndexError: nothing
  const size_t begin = CodePointOffset(text, static_cast<size_t>(index));
  const size_t end = CodePointOffset(text, static_cast<size_t>(index) + 1);
  *result = text.substr(begin, end - begin);
  return true;
}

bool Substring(const Json& v, const std::vector<const Json*>& args, Json* result) {
  if (!v.is_string() || args.empty() || args.size() > 2) return false;
  const auto& text = v.get_ref<const std::string&>();
  const auto length = static_cast<int64_t>(CodePointCount(text));
  int64_t begin, end = length;
  if (!PyIntSaturated(*args[0], &begin)) return false;
  if (args.size() == 2 && !PyIntSaturated(*args[1], &end)) return false;
  begin = ClampSliceBound(begin, length);
  end = ClampSliceBound(end, length);
  if (begin >= end) {
    *result = "";
    return true;
  }
  const size_t from = CodePointOffset(text, static_cast<size_t>(begin));
  const size_t to = CodePointOffset(text, static_cast<size_t>(end));
  *result = text.substr(from, to - from);
  return true;
}

}  // namespace

std::string_view FunctionName(Function function) {
  switch (function) {
    case Function::kCharAt: return "charAt";
    case Function::kEntries: return "entries";
    case Function::kKeys: return "keys";
    case Function::kLength: return "length";
    case Function::kSubstring: return "substring";
    case Function::kValues: return "values";
  }
  return "?";
}

bool CallFunction(Function function, const Json& receiver, const std::vector<const Json*>& args,
                  Json* result) {
  switch (function) {
    case Function::kCharAt: return CharAt(receiver, args, result);
    case Function::kEntries: return Entries(receiver, args, result);
    case Function::kKeys: return Keys(receiver, args, result);
    case Function::kLength: return Length(receiver, args, result);
    case Function::kSubstring: return Substring(receiver, args, result);
    case Function::kValues: return Values(receiver, args, result);
  }
  return false;
}

}  // namespace pn::jsonpath::internal
