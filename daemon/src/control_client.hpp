// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <systemd/sd-event.h>
#include <vmm/base/result.hpp>
#include <vmm/vmm/control_protocol.hpp>

namespace vmmd {

using ControlDone = std::function<void(vmm::Result<vmm::ControlResponse>)>;

// Sends one request to a vmm control socket (docs/control-protocol.md) and
// runs done with its response, from vmmd's event loop: nothing blocks
// while vmm answers. A vmm that does not answer within timeout is a Timeout
// error; a closed socket, an unreadable or oversized response are Failed.
// done runs exactly once, unless the event loop is freed first.
void send_control_request(sd_event* event, const std::string& path, vmm::ControlCommand command,
                          std::chrono::milliseconds timeout, ControlDone done);

}  // namespace vmmd
