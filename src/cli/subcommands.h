// pacifica-notifications-cmd: one registration function per subcommand (one file each). A
// registration adds the subcommand, its options and a callback that runs it and sets
// ctx.exit_code. To add a subcommand: write <name>_subcommand.cc with Register<Name>Subcommand,
// declare it here, call it from RegisterAllSubcommands (cmd_app.cc) and list the file in
// CMakeLists.txt.
// Thread-safety: used by one thread.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cmd_context.h"

namespace pn::cli {

void RegisterDbchkSubcommand(CLI::App& app, CmdContext& ctx);
void RegisterDbsyncSubcommand(CLI::App& app, CmdContext& ctx);
void RegisterJsonpathSubcommand(CLI::App& app, CmdContext& ctx);
// eventget / eventpurge / eventretry (event_subcommands.cc).
void RegisterEventGetSubcommand(CLI::App& app, CmdContext& ctx);
void RegisterEventPurgeSubcommand(CLI::App& app, CmdContext& ctx);
void RegisterEventRetrySubcommand(CLI::App& app, CmdContext& ctx);

}  // namespace pn::cli
