// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// vmm: the per-VM process. Thin glue: parse options, run the machine.
#include <cstdio>

#include "options.hpp"
#include "runner.hpp"

int main(int argc, char** argv) {
  auto options = vmm::cli::parse_options(argc, argv);
  if (!options) {
    std::fprintf(stderr, "vmm: error: %s\n", options.error().message().c_str());
    return vmm::cli::kExitUsage;
  }
  if (options->exit_now) return options->exit_code;
  if (options->dry_run) return vmm::cli::build_only(options->config);
  return vmm::cli::run_machine(options->config);
}
