// CLI wiring of the event subcommands of pacifica-notifications-cmd (upstream §6.2, DESIGN §6):
// eventget (event_get.h), eventpurge (event_purge.h), eventretry (event_retry.h). Each opens the
// configured store, runs, and sets ctx.exit_code (0 / 1 errors; CLI11 usage errors give 2).
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/event_get.h"
#include "cli/event_purge.h"
#include "cli/event_retry.h"
#include "cli/subcommands.h"

namespace pn::cli {
namespace {

// Opens the store or reports why not (exit 1).
std::unique_ptr<Store> OpenOrReport(CmdContext& ctx, const char* command) {
  auto store = ctx.OpenConfiguredStore(/*create=*/false);
  if (!store.ok()) {
    ctx.err() << command << ": " << store.status().message() << "\n";
    ctx.exit_code = 1;
    return nullptr;
  }
  // Reading or writing events through an old layout would fail obscurely; say what fixes it.
  auto version = (*store)->schema().Version();
  if (!version.ok() || version->major != kCurrentSchema.major) {
    ctx.err() << command << ": "
              << (version.ok() ? "the database schema is " + std::to_string(version->major) + "." +
                                     std::to_string(version->minor) + ", not " +
                                     std::to_string(kCurrentSchema.major) +
                                     ".x; run dbsync to upgrade it"
                               : version.status().message())
              << "\n";
    ctx.exit_code = 1;
    return nullptr;
  }
  return std::move(store).value();
}

void AddDateFormat(CLI::App* sub, std::string& format) {
  sub->add_option("--date-format", format,
                  "strptime format of the dates given (interpreted as UTC)")
      ->default_str(kDefaultDateFormat)
      ->option_text("FORMAT");
}

}  // namespace

void RegisterEventGetSubcommand(CLI::App& app, CmdContext& ctx) {
  CLI::App* sub = app.add_subcommand(
      "eventget", "Print stored events and their deliveries (ELM lines) in the original's format");
  auto o = std::make_shared<EventGetOptions>();
  sub->add_option("events", o->uuids, "Event uuids (then dates and --limit do not apply)");
  sub->add_option("--limit", o->limit, "Print at most this many events")
      ->default_val(10)
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--start-date", o->start_date,
                  "Events created after this time (default: now - 1 day)");
  sub->add_option("--end-date", o->end_date, "Events created before this time (default: now)");
  AddDateFormat(sub, o->date_format);
  sub->callback([&ctx, o] {
    auto store = OpenOrReport(ctx, "eventget");
    if (store) ctx.exit_code = RunEventGet(store->events(), ctx.clock(), *o, ctx.out(), ctx.err());
  });
}

void RegisterEventPurgeSubcommand(CLI::App& app, CmdContext& ctx) {
  CLI::App* sub = app.add_subcommand(
      "eventpurge",
      "Delete stored events with their deliveries and attempts (subscriptions are kept)");
  auto o = std::make_shared<EventPurgeOptions>();
  sub->add_option("events", o->uuids, "Event uuids to purge (default: by --older-than-date)");
  sub->add_option("--older-than-date", o->older_than_date,
                  "Purge events created before this time (default: now - 1 day)");
  AddDateFormat(sub, o->date_format);
  sub->add_option("--limit", o->limit,
                  "Events deleted per transaction; every matching event is purged, in batches")
      ->default_val(1000)
      ->check(CLI::PositiveNumber);
  sub->callback([&ctx, o] {
    // Progress only for a person watching: stderr is the process's own and a terminal.
    o->progress = &ctx.err() == &std::cerr && ::isatty(STDERR_FILENO) == 1;
    auto store = OpenOrReport(ctx, "eventpurge");
    if (store) {
      ctx.exit_code = RunEventPurge(store->events(), ctx.clock(), *o, ctx.out(), ctx.err());
    }
  });
}

void RegisterEventRetrySubcommand(CLI::App& app, CmdContext& ctx) {
  CLI::App* sub = app.add_subcommand(
      "eventretry",
      "Match stored events against the current subscriptions again and queue new deliveries; "
      "prints '<delivery uuid> - <subscription uuid>' per queued delivery");
  auto uuids = std::make_shared<std::vector<std::string>>();
  sub->add_option("events", *uuids, "Event uuids");
  sub->callback([&ctx, uuids] {
    auto store = OpenOrReport(ctx, "eventretry");
    if (store) {
      ctx.exit_code = RunEventRetry(store->events(), store->subscriptions(), ctx.clock(),
                                    ctx.random(), *uuids, ctx.out(), ctx.err());
    }
  });
}

}  // namespace pn::cli
