// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include <vmm/base/error.hpp>

namespace vmmctl {

// What went wrong, as far as a script calling vmmctl cares: each value is
// also the process's exit status (documented in --help and docs/vmmctl.md).
enum class Failure {
  kFailed = 1,  // anything else (including org.vmmkit.vmm1.Error.Failed, .Timeout)
  kUsage = 2,   // bad command line, name, size or config (also the daemon's InvalidArgument/InvalidConfig)
  kMachineExists = 3,  // org.vmmkit.vmm1.Error.MachineExists
  kNoSuchMachine = 4,  // org.vmmkit.vmm1.Error.NoSuchMachine
  kAccessDenied = 5,   // org.vmmkit.vmm1.Error.AccessDenied, D-Bus AccessDenied, interactive auth required
  kDaemonUnreachable = 6,  // no system bus, or nobody owns org.vmmkit.vmm1
  kInvalidState = 7,       // org.vmmkit.vmm1.Error.InvalidState (e.g. starting a running machine)
};

const std::error_category& failure_category() noexcept;
inline std::error_code make_error_code(Failure f) { return {static_cast<int>(f), failure_category()}; }

// The Failure a D-Bus error name stands for (kFailed for names it does not know).
Failure failure_for_dbus_error(std::string_view name);

// The exit status for an error: its Failure when it has one, 2 for the
// config errors of lib/vmm (a bad file or flag is the caller's input), 1 otherwise.
int exit_status(const vmm::Error& error);

// The message to print for an error: a Failure's context alone (its code's
// name adds nothing), otherwise Error::message().
std::string error_text(const vmm::Error& error);

// The text of --help's "Exit status" section.
extern const char* const kExitStatusHelp;

}  // namespace vmmctl

template <>
struct std::is_error_code_enum<vmmctl::Failure> : std::true_type {};
