// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <vmm/base/result.hpp>

// Checks of single machine-config values, shared by validate() and the flag
// parsers. `key` names the value in the error the way the caller's user sees
// it: "vcpu.num" in a config file, "num" after "--vcpu: " for a flag.
namespace vmm::field {

[[nodiscard]] Error invalid_value(std::string_view key, const std::string& why);

Result<void> check_range(std::string_view key, uint64_t value, uint64_t min, uint64_t max);
Result<void> check_name(std::string_view key, std::string_view name);
Result<void> check_uuid(std::string_view key, std::string_view uuid);
Result<void> check_cmdline(std::string_view key, std::string_view cmdline);
// A file path: non-empty, at most PATH_MAX, UTF-8, no control characters.
Result<void> check_path(std::string_view key, std::string_view path);
// A unix socket path: a path that fits in sockaddr_un.
Result<void> check_socket_path(std::string_view key, std::string_view path);

}  // namespace vmm::field
