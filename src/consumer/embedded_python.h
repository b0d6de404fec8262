// The Python files the runner installs into every consumer venv (from python/ at build time):
// pacifica_notifications_consumer and the offline stand-ins promise, promises and jsonpath2.
// Thread-safety: immutable data.
#pragma once

#include <span>
#include <string_view>

namespace pn::consumer {

struct EmbeddedFile {
  const char* path;          // relative to site-packages, e.g. "promise/__init__.py"
  std::string_view content;
};

std::span<const EmbeddedFile> EmbeddedPythonFiles();

}  // namespace pn::consumer
