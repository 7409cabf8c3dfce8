// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>

#include <vmm/base/fd.hpp>

namespace vmm {

// A listening, non-blocking SOCK_STREAM unix socket at `path`. A stale
// socket left by a previous run is replaced; any other existing file is an
// error (we never delete what is not ours).
Result<Fd> listen_unix(const std::string& path);
// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; an invalid Fd if none is waiting.
Result<Fd> accept_client(int listener);

}  // namespace vmm
