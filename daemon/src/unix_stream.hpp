// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <chrono>
#include <string>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>
#include <vmm/vmm/control_protocol.hpp>

namespace vmmd {

// A connected SOCK_STREAM unix socket (the guest's console or control
// socket). The error names the path.
vmm::Result<vmm::Fd> connect_unix(const std::string& path);

// One request on a vmm control socket (docs/control-protocol.md) and its
// response. Blocking, bounded by timeout for the connect, send and receive:
// vmm answers from its event loop in microseconds, and a vmm that does not
// answer in time is reported, not waited for.
vmm::Result<vmm::ControlResponse> control_request(const std::string& path, vmm::ControlCommand command,
                                                  std::chrono::milliseconds timeout);

}  // namespace vmmd
