// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <optional>
#include <string_view>

#include <vmm/base/export.hpp>

namespace vmm {

// The lifecycle of a machine, as the running machine tracks it and the
// control protocol reports it.
//
//   created ──start──▶ running ◀──resume/pause──▶ paused
//                         │ shutdown (guest asked to power off)
//                         ▼
//                   shutting-down ──guest off, stop or timeout──▶ stopped
//
// `stop` goes from any state to stopped.
enum class MachineState {
  kCreated,  // built, no vCPU has run yet
  kRunning,
  kPaused,        // vCPUs parked; devices and the event loop keep running
  kShuttingDown,  // the guest was asked to power off; a hard stop follows the timeout
  kStopped,       // vCPUs have exited; the process is about to exit or reboot
};

// "created", "running", "paused", "shutting-down", "stopped".
VMM_API std::string_view to_string(MachineState state);
VMM_API std::optional<MachineState> machine_state_from_string(std::string_view text);

}  // namespace vmm
