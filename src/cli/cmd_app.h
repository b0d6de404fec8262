// The pacifica-notifications-cmd program as a function, so tests can run it in-process.
// Thread-safety: one call per thread; uses only its arguments.
#pragma once

#include <string>
#include <vector>

#include "cli/cmd_context.h"

namespace pn::cli {

// Parses `args` (without the program name), runs the subcommand, returns the exit status:
// 0 success (and --help, and no subcommand, which prints the help as the original does),
// 255 a negative dbchk, 1 an error, 2 a usage error.
int RunAdminCommand(const std::vector<std::string>& args, CmdContext& ctx);

}  // namespace pn::cli
