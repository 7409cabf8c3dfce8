// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <vector>

#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace vmm::cli {

// What the command line asked for.
struct Options {
  MachineConfig config;
  bool exit_now = false;  // --help or --version was answered
  bool dry_run = false;   // build the machine, then exit before the first guest instruction
  int exit_code = 0;
};

// Parses argv with CLI11 into a validated MachineConfig: --config FILE.json
// first, then every flag on top of it. Errors are one line naming the flag.
Result<Options> parse_options(int argc, char** argv);

}  // namespace vmm::cli
