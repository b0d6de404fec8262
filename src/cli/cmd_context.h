// What every subcommand of pacifica-notifications-cmd shares: the global -c option, the
// environment, the standard streams, clock and randomness, and the way to open the store the
// configuration names. main() builds one; tests build one over string streams.
// Thread-safety: used by one thread (the command's).
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"
#include "config/config.h"
#include "store/store.h"

namespace pn::cli {

class CmdContext {
 public:
  CmdContext(std::map<std::string, std::string> env, std::istream& in, std::ostream& out,
             std::ostream& err, const Clock& clock, RandomSource& random)
      : env_(std::move(env)), in_(in), out_(out), err_(err), clock_(clock), random_(random) {}

  // -c/--config, set by the global option.
  std::optional<std::string> config_path;
  // The subcommand's exit status (DESIGN §6: 0 success, 255 negative dbchk, 1 error, 2 usage).
  int exit_code = 0;
  // How to wait between connection attempts; tests replace it.
  std::function<void(Duration)> sleep;

  std::istream& in() { return in_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  const Clock& clock() const { return clock_; }
  RandomSource& random() { return random_; }

  // The configuration from -c (or NOTIFICATIONS_CONFIG / the home default) and the environment.
  Result<Config> LoadConfiguration() const;
  // Loads the configuration and opens the database it names, with its connect attempts.
  // `create`: whether a missing SQLite file may be created.
  Result<std::unique_ptr<Store>> OpenConfiguredStore(bool create = true);

 private:
  std::map<std::string, std::string> env_;
  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace pn::cli
