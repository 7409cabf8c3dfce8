// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <vmm/vmm/machine.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace vmm::cli {

enum ExitCode : int {
  kExitGuestDone = 0,   // the guest powered off or reset
  kExitError = 1,       // the machine failed to build or a vCPU failed
  kExitUsage = 2,       // bad command line or configuration
  kExitStopped = 3,     // stopped from outside (stop request, shutdown timeout, Ctrl-])
};

// Runs the machine described by `config` until it ends: builds it, starts
// its vCPUs, serves console, control socket and signals on one event loop,
// rebuilds it after a guest reset when the reboot policy says restart.
// Prints one line saying how it ended and returns the exit code.
int run_machine(const MachineConfig& config);

// Builds the machine and tears it down without running a guest instruction
// (checks a configuration and kernel; also what the startup benchmark counts).
int build_only(const MachineConfig& config);

}  // namespace vmm::cli
