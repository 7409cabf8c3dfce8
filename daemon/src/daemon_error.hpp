// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <system_error>

#include <vmm/base/error.hpp>

namespace vmmd {

// The failures vmmd reports to clients. Each maps to one D-Bus error name
// org.vmmkit.vmm1.Error.<Name> (bus_error_name()); the vmm::Error's context
// is the human message sent with it.
enum class DaemonErrc {
  kNoSuchMachine = 1,
  kMachineExists,
  kInvalidArgument,
  kInvalidConfig,
  kInvalidState,
  kAccessDenied,
  kTimeout,
  kFailed,
};

const std::error_category& daemon_category() noexcept;
inline std::error_code make_error_code(DaemonErrc e) { return {static_cast<int>(e), daemon_category()}; }

// Shorthand: vmm::Error{DaemonErrc, message}.
vmm::Error daemon_error(DaemonErrc code, std::string message);

// "org.vmmkit.vmm1.Error.NoSuchMachine" and so on. Config errors from lib/vmm
// become InvalidConfig; anything else (errno, I/O) becomes Failed.
const char* bus_error_name(const vmm::Error& error);

// The message sent with the D-Bus error: the context, or the code's text.
std::string bus_error_message(const vmm::Error& error);

}  // namespace vmmd

template <>
struct std::is_error_code_enum<vmmd::DaemonErrc> : std::true_type {};
