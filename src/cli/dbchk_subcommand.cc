// `pacifica-notifications-cmd dbchk [--equal]` (upstream §6.2): is the database schema current?
// Exit 0 when its major version is ours (with --equal: exactly ours), else 255 with a one-line
// explanation on stderr; 1 when the database cannot be read.
#include <filesystem>
#include <memory>
#include <ostream>

#include "cli/subcommands.h"

namespace pn::cli {
namespace {

constexpr int kNotCurrent = 255;

std::string Name(SchemaVersion v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor);
}

int RunDbchk(CmdContext& ctx, bool equal) {
  auto config = ctx.LoadConfiguration();
  if (!config.ok()) {
    ctx.err() << "dbchk: " << config.status().message() << "\n";
    return 1;
  }
  const DatabaseUrl& url = config->database;
  // Checking must not create a database: a missing SQLite file is an empty (0.0) database.
  if (url.kind == DatabaseUrl::Kind::kSqlite && url.path != ":memory:" &&
      !std::filesystem::exists(url.path)) {
    ctx.err() << "dbchk: no database at " << url.path << " (schema 0.0); run dbsync to create it\n";
    return kNotCurrent;
  }
  auto store = ctx.OpenConfiguredStore(/*create=*/false);
  if (!store.ok()) {
    ctx.err() << "dbchk: " << store.status().message() << "\n";
    return 1;
  }
  auto version = (*store)->schema().Version();
  if (!version.ok()) {
    ctx.err() << "dbchk: " << version.status().message() << "\n";
    return 1;
  }
  const bool current = equal ? *version == kCurrentSchema : version->major == kCurrentSchema.major;
  if (current) return 0;
  ctx.err() << "dbchk: the database schema is " << Name(*version) << ", not "
            << (equal ? "exactly " + Name(kCurrentSchema)
                      : std::to_string(kCurrentSchema.major) + ".x")
            << "; run dbsync to upgrade it\n";
  return kNotCurrent;
}

}  // namespace

void RegisterDbchkSubcommand(CLI::App& app, CmdContext& ctx) {
  CLI::App* sub = app.add_subcommand(
      "dbchk",
      "Check the database schema version: exit 0 when it is current (major version " +
          std::to_string(kCurrentSchema.major) + "), 255 when not, 1 on error");
  auto equal = std::make_shared<bool>(false);
  sub->add_flag("--equal", *equal,
                "Exit 0 only when the schema is exactly " + std::to_string(kCurrentSchema.major) +
                    "." + std::to_string(kCurrentSchema.minor));
  sub->callback([&ctx, equal] { ctx.exit_code = RunDbchk(ctx, *equal); });
}

}  // namespace pn::cli
