// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm::virtio {

// Errors of creating a vsock device (what the guest sends never becomes an
// error value: it gets an RST, see docs/virtio-vsock.md).
enum class VsockErrc {
  kInvalidGuestCid = 1,  // guest_cid outside 3 .. 2^32-2
  kInvalidSocketPath,    // uds_path empty or too long for sockaddr_un
  kPathNotASocket,       // uds_path exists and is not a unix socket
};

VMM_API const std::error_category& vsock_category() noexcept;
inline std::error_code make_error_code(VsockErrc e) { return {static_cast<int>(e), vsock_category()}; }

}  // namespace vmm::virtio

template <>
struct std::is_error_code_enum<vmm::virtio::VsockErrc> : std::true_type {};
