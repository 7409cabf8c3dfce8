// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/machine_state.hpp>

#include <array>

namespace vmm {
namespace {

constexpr std::array<MachineState, 5> kStates{MachineState::kCreated, MachineState::kRunning,
                                              MachineState::kPaused, MachineState::kShuttingDown,
                                              MachineState::kStopped};

}  // namespace

std::string_view to_string(MachineState state) {
  switch (state) {
    case MachineState::kCreated:
      return "created";
    case MachineState::kRunning:
      return "running";
    case MachineState::kPaused:
      return "paused";
    case MachineState::kShuttingDown:
      return "shutting-down";
    case MachineState::kStopped:
      return "stopped";
  }
  return "invalid";
}

std::optional<MachineState> machine_state_from_string(std::string_view text) {
  for (MachineState state : kStates)
    if (to_string(state) == text) return state;
  return std::nullopt;
}

}  // namespace vmm
