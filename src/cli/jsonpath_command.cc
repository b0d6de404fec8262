#include "cli/jsonpath_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "json/json.h"
#include "jsonpath/jsonpath.h"

namespace pn::cli {

namespace {

bool ReadAll(std::istream& in, std::string* text) {
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return !in.bad();
}

}  // namespace

int RunJsonpathCommand(std::string_view expr, const std::optional<std::string>& file,
                       std::istream& in, std::ostream& out, std::ostream& err) {
  auto path = jsonpath::Parse(expr);
  if (!path.ok()) {
    err << path.status().message() << "\n";
    return 2;
  }

  std::string text;
  if (file) {
    std::ifstream stream(*file, std::ios::binary);
    if (!stream) {
      err << "cannot read " << *file << ": " << std::strerror(errno) << "\n";
      return 1;
    }
    if (!ReadAll(stream, &text)) {
      err << "cannot read " << *file << ": read error\n";
      return 1;
    }
  } else if (!ReadAll(in, &text)) {
    err << "cannot read standard input\n";
    return 1;
  }
  auto doc = ParseJson(text);
  if (!doc.ok()) {
    err << (file ? *file : std::string("standard input")) << ": " << doc.status().message() << "\n";
    return 1;
  }

  std::vector<jsonpath::Match> partial;
  auto matches = jsonpath::Evaluate(**path, *doc, &partial);
  if (!matches.ok()) {
    err << matches.status().message() << " (after " << partial.size() << " result"
        << (partial.size() == 1 ? "" : "s") << ")\n";
    return 3;
  }

  std::string rendered = "[";
  for (size_t i = 0; i < matches->size(); ++i) {
    const jsonpath::Match& m = (*matches)[i];
    rendered.append(i == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ");
    AppendPythonJsonString(m.path, &rendered);
    rendered.append(", \"value\": ");
    DumpPython(m.value, &rendered);
    rendered.append("}");
  }
  rendered.append(matches->empty() ? "]\n" : "\n]\n");
  out << rendered;
  return 0;
}

}  // namespace pn::cli
