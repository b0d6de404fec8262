// main() of pacifica-notifications-cmd: wires the process environment, streams, clock and
// randomness into RunAdminCommand.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cmd_app.h"
#include "common/clock.h"
#include "common/random.h"
#include "config/config.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  pn::cli::CmdContext ctx(pn::CurrentEnvironment(), std::cin, std::cout, std::cerr,
                          pn::SystemClock::Instance(), pn::SystemRandom::Instance());
  const int code = pn::cli::RunAdminCommand(args, ctx);
  std::cout.flush();
  return code;
}
