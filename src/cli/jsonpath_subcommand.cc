// `pacifica-notifications-cmd jsonpath EXPR [FILE]` (DESIGN §6): CLI wiring of
// RunJsonpathCommand (jsonpath_command.h, built with the engine as pn_cli_jsonpath).
#include <memory>
#include <optional>
#include <string>

#include "cli/jsonpath_command.h"
#include "cli/subcommands.h"

namespace pn::cli {

void RegisterJsonpathSubcommand(CLI::App& app, CmdContext& ctx) {
  CLI::App* sub = app.add_subcommand(
      "jsonpath",
      "Evaluate a jsonpath2 expression against a JSON document and print "
      "[{\"path\": ..., \"value\": ...}, ...]; exit 0 evaluated, 1 unreadable input, 2 syntax "
      "error, 3 evaluation error");
  struct Args {
    std::string expr;
    std::optional<std::string> file;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("EXPR", args->expr, "The jsonpath2 expression, e.g. '$[\"data\"][*]'")
      ->required();
  sub->add_option("FILE", args->file, "JSON document to read (default: standard input)");
  sub->callback([&ctx, args] {
    ctx.exit_code = RunJsonpathCommand(args->expr, args->file, ctx.in(), ctx.out(), ctx.err());
  });
}

}  // namespace pn::cli
