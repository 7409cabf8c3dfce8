// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "guest_state.hpp"

namespace vmmd {

std::string_view to_string(GuestState state) {
  switch (state) {
    case GuestState::kStopped: return "stopped";
    case GuestState::kStarting: return "starting";
    case GuestState::kRunning: return "running";
    case GuestState::kPaused: return "paused";
    case GuestState::kStopping: return "stopping";
    case GuestState::kFailed: return "failed";
  }
  return "failed";
}

GuestState guest_state_from(std::string_view active_state, bool paused) {
  if (active_state == "inactive" || active_state.empty()) return GuestState::kStopped;
  if (active_state == "activating") return GuestState::kStarting;
  if (active_state == "deactivating") return GuestState::kStopping;
  if (active_state == "failed") return GuestState::kFailed;
  return paused ? GuestState::kPaused : GuestState::kRunning;
}

bool is_active(GuestState state) { return state != GuestState::kStopped && state != GuestState::kFailed; }

}  // namespace vmmd
