// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string_view>

namespace vmmd {

// A machine's State property (org.vmmkit.vmm1.Machine).
enum class GuestState { kStopped, kStarting, kRunning, kPaused, kStopping, kFailed };

// "stopped", "starting", "running", "paused", "stopping", "failed".
std::string_view to_string(GuestState state);

// The state from the unit's ActiveState and whether vmm reported the
// machine paused (docs/vmmd.md, "State mapping"):
//   inactive -> stopped, activating -> starting, active/reloading -> running
//   (paused if vmm said so), deactivating -> stopping, failed -> failed.
// Anything systemd may add later counts as running while the unit exists.
GuestState guest_state_from(std::string_view active_state, bool paused);

// Whether a guest process exists in this state.
bool is_active(GuestState state);

}  // namespace vmmd
