// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>

namespace vmmd {

// A connected SOCK_STREAM unix socket (a guest's console or control
// socket), close-on-exec, optionally non-blocking. The error names the path.
vmm::Result<vmm::Fd> connect_unix(const std::string& path, bool nonblocking = false);

}  // namespace vmmd
