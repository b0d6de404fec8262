// A small INI reader in Python ConfigParser's dialect, keeping the line of every value so a
// bad configuration can be reported as "file:line". (inih cannot report a key's line.)
// Dialect: "[section]" headers; "key = value" or "key: value"; keys lower-cased as ConfigParser
// does; full-line comments start with '#' or ';'; an indented line continues the previous value
// (joined with '\n'); values are literal (no % interpolation).
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pn {

struct IniEntry {
  std::string section;
  std::string key;  // lower-cased
  std::string value;
  int line = 0;  // 1-based line of the key
};

struct IniDocument {
  std::vector<IniEntry> entries;
  std::vector<std::string> sections;  // in order of appearance, each once
  std::vector<int> section_lines;     // line of each section header
  // Syntax problems, each "<origin>:<line>: <what>"; entries are still collected around them.
  std::vector<std::string> errors;
};

// `origin` names the text in messages (usually the file path).
IniDocument ParseIni(std::string_view text, std::string_view origin);

}  // namespace pn
