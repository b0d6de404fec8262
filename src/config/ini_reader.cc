#include "config/ini_reader.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace pn {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

IniDocument ParseIni(std::string_view text, std::string_view origin) {
  IniDocument doc;
  const std::string where(origin);
  auto error = [&](int line, const std::string& what) {
    doc.errors.push_back(where + ":" + std::to_string(line) + ": " + what);
  };
  std::string section;
  bool have_section = false;
  std::set<std::pair<std::string, std::string>> seen_keys;
  IniEntry* last = nullptr;  // the entry an indented line continues
  int line_no = 0;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // UTF-8 byte order mark
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = Trim(raw);
    if (line.empty()) {
      last = nullptr;
      if (end == text.size()) break;
      continue;
    }
    if (line.front() == '#' || line.front() == ';') {
      if (end == text.size()) break;
      continue;
    }
    const bool indented = std::isspace(static_cast<unsigned char>(raw.front()));
    if (indented && last != nullptr) {
      last->value += "\n";
      last->value += line;
    } else if (line.front() == '[') {
      last = nullptr;
      if (line.back() != ']' || line.size() < 3) {
        error(line_no, "malformed section header '" + std::string(line) + "'");
      } else {
        section = std::string(Trim(line.substr(1, line.size() - 2)));
        have_section = true;
        if (std::find(doc.sections.begin(), doc.sections.end(), section) != doc.sections.end()) {
          error(line_no, "section [" + section + "] appears twice");
        } else {
          doc.sections.push_back(section);
          doc.section_lines.push_back(line_no);
        }
      }
    } else {
      last = nullptr;
      const size_t sep = line.find_first_of("=:");
      if (sep == std::string_view::npos || sep == 0) {
        error(line_no, "expected 'key = value', got '" + std::string(line) + "'");
      } else if (!have_section) {
        error(line_no, std::string("'").append(line).append("' comes before any [section] header"));
      } else {
        IniEntry entry{section, Lower(Trim(line.substr(0, sep))),
                       std::string(Trim(line.substr(sep + 1))), line_no};
        if (!seen_keys.insert({entry.section, entry.key}).second) {
          error(line_no, "key '" + entry.key + "' appears twice in [" + section + "]");
        } else {
          doc.entries.push_back(std::move(entry));
          last = &doc.entries.back();
        }
      }
    }
    if (end == text.size()) break;
  }
  return doc;
}

}  // namespace pn
