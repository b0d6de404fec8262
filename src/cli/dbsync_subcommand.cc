// `pacifica-notifications-cmd dbsync` (upstream §6.2, §5.4): creates the schema on an empty
// database or migrates an older one to ours, in one transaction. Exit 0, or 1 with a message.
#include <unistd.h>

#include <iostream>
#include <ostream>

#include "cli/elapsed_progress.h"
#include "cli/subcommands.h"

namespace pn::cli {
namespace {

int RunDbsync(CmdContext& ctx) {
  auto store = ctx.OpenConfiguredStore(/*create=*/true);
  if (!store.ok()) {
    ctx.err() << "dbsync: " << store.status().message() << "\n";
    return 1;
  }
  // A large database can take long to migrate: show that it is working, on a terminal only.
  ElapsedProgress progress(ctx.err(), &ctx.err() == &std::cerr && ::isatty(STDERR_FILENO) == 1,
                           "dbsync: migrating the database schema");
  Status synced = (*store)->schema().Sync();
  progress.Finish(synced.ok());
  if (!synced.ok()) {
    ctx.err() << "dbsync: " << synced.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

void RegisterDbsyncSubcommand(CLI::App& app, CmdContext& ctx) {
  CLI::App* sub = app.add_subcommand(
      "dbsync",
      "Create the database schema, or upgrade one written by an older release (0.0, 1.0, 2.0, "
      "3.0) in place, in one transaction; exit 0, or 1 with a message");
  sub->callback([&ctx] { ctx.exit_code = RunDbsync(ctx); });
}

}  // namespace pn::cli
