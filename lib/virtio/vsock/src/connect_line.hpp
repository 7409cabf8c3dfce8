// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The first line a host client sends on the vsock unix socket:
// "CONNECT <port>\n" (Firecracker's hybrid vsock protocol).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vmm::virtio {

// Longer lines are garbage: the client is disconnected.
inline constexpr size_t kMaxConnectLine = 32;

// The guest port of "CONNECT <port>" (without the newline); words are
// separated by blanks, the port is decimal and fits in 32 bits.
[[nodiscard]] std::optional<uint32_t> parse_connect_line(std::string_view line);

}  // namespace vmm::virtio
