// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>

namespace vmm::cli {

// sd_notify(3) when running under systemd (NOTIFY_SOCKET set): READY=1 once
// the guest runs, STATUS= lines as it changes state. A no-op otherwise, or
// when built without libsystemd.
void notify_ready(const std::string& status);
void notify_status(const std::string& status);
void notify_stopping(const std::string& status);

}  // namespace vmm::cli
