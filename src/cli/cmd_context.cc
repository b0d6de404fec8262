#include "cli/cmd_context.h"

#include "app/open_store.h"

namespace pn::cli {

Result<Config> CmdContext::LoadConfiguration() const {
  ConfigSources sources;
  sources.config_path = config_path;
  sources.env = env_;
  return LoadConfig(sources);
}

Result<std::unique_ptr<Store>> CmdContext::OpenConfiguredStore(bool create) {
  PN_ASSIGN_OR_RETURN(Config config, LoadConfiguration());
  OpenStoreOptions options = OpenStoreOptionsFrom(config);
  options.sleep = sleep;
  options.sqlite.create = create;
  options.sqlite.read_connections = 1;  // one command, one thread
  return OpenStore(config.database, options);
}

}  // namespace pn::cli
