// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// vmmctl: the command line for vmmd (docs/vmmctl.md).
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <system_error>

#include "command_line.hpp"

int main(int argc, char** argv) {
  // A closed pipe on stdout (vmmctl list | head) is an error value, not a death.
  signal(SIGPIPE, SIG_IGN);
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  vmmctl::CreateDefaults defaults{
      VMMCTL_BUNDLED_GUEST, "console=ttyS0 vmmkit.serve",      "console=ttyS0",
      VMMCTL_RUNTIME_DIR,   ec ? std::string() : cwd.string(),
  };
  return vmmctl::run_vmmctl(argc, argv, defaults, std::cout, std::cerr);
}
