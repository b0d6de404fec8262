#include "cli/cmd_app.h"

#include <algorithm>
#include <ostream>

#include "cli/subcommands.h"

namespace pn::cli {
namespace {

void RegisterAllSubcommands(CLI::App& app, CmdContext& ctx) {
  RegisterDbchkSubcommand(app, ctx);
  RegisterDbsyncSubcommand(app, ctx);
  RegisterJsonpathSubcommand(app, ctx);
  RegisterEventGetSubcommand(app, ctx);
  RegisterEventPurgeSubcommand(app, ctx);
  RegisterEventRetrySubcommand(app, ctx);
}

}  // namespace

int RunAdminCommand(const std::vector<std::string>& args, CmdContext& ctx) {
  CLI::App app("Administration of Pacifica Notifications: database schema checks and upgrades, "
               "stored events, JSONPath evaluation.",
               "pacifica-notifications-cmd");
  app.set_help_all_flag("--help-all", "Print help for every subcommand and exit");
  app.add_option("-c,--config", ctx.config_path,
                 "Service configuration INI file (default: $NOTIFICATIONS_CONFIG, else "
                 "~/.pacifica-notifications/config.ini when it exists); its [database] section "
                 "names the database")
      ->option_text("CONFIG");
  app.require_subcommand(0, 1);
  RegisterAllSubcommands(app, ctx);

  // CLI11 wants argv order reversed in a vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, ctx.out(), ctx.err());
    return code == 0 ? 0 : 2;
  }
  if (app.get_subcommands().empty()) {
    ctx.out() << app.help();
    return 0;
  }
  return ctx.exit_code;
}

}  // namespace pn::cli
