// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "exit_status.hpp"

#include <array>
#include <utility>

#include <vmm/base/error_category.hpp>
#include <vmm/vmm/error.hpp>

namespace vmmctl {
namespace {

const char* describe(int code) {
  switch (static_cast<Failure>(code)) {
    case Failure::kFailed:
      return "failed";
    case Failure::kUsage:
      return "invalid usage";
    case Failure::kMachineExists:
      return "machine exists";
    case Failure::kNoSuchMachine:
      return "no such machine";
    case Failure::kAccessDenied:
      return "access denied";
    case Failure::kDaemonUnreachable:
      return "vmmd not reachable";
    case Failure::kInvalidState:
      return "machine in the wrong state";
  }
  return "unknown failure";
}

constexpr std::array<std::pair<std::string_view, Failure>, 14> kDbusErrors{{
    {"org.vmmkit.vmm1.Error.NoSuchMachine", Failure::kNoSuchMachine},
    {"org.vmmkit.vmm1.Error.MachineExists", Failure::kMachineExists},
    {"org.vmmkit.vmm1.Error.InvalidArgument", Failure::kUsage},
    {"org.vmmkit.vmm1.Error.InvalidConfig", Failure::kUsage},
    {"org.vmmkit.vmm1.Error.InvalidState", Failure::kInvalidState},
    {"org.vmmkit.vmm1.Error.AccessDenied", Failure::kAccessDenied},
    {"org.vmmkit.vmm1.Error.Timeout", Failure::kFailed},
    {"org.vmmkit.vmm1.Error.Failed", Failure::kFailed},
    {"org.freedesktop.DBus.Error.AccessDenied", Failure::kAccessDenied},
    {"org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", Failure::kAccessDenied},
    {"org.freedesktop.DBus.Error.ServiceUnknown", Failure::kDaemonUnreachable},
    {"org.freedesktop.DBus.Error.NameHasNoOwner", Failure::kDaemonUnreachable},
    {"org.freedesktop.DBus.Error.NoServer", Failure::kDaemonUnreachable},
    {"org.freedesktop.DBus.Error.Disconnected", Failure::kDaemonUnreachable},
}};

}  // namespace

const std::error_category& failure_category() noexcept {
  static const vmm::ErrorCategory category("vmmctl", describe);
  return category;
}

Failure failure_for_dbus_error(std::string_view name) {
  for (auto [known, failure] : kDbusErrors)
    if (known == name) return failure;
  return Failure::kFailed;
}

int exit_status(const vmm::Error& error) {
  const auto& code = error.code();
  if (code.category() == failure_category()) return code.value();
  if (code.category() == vmm::config_category()) return static_cast<int>(Failure::kUsage);
  return static_cast<int>(Failure::kFailed);
}

std::string error_text(const vmm::Error& error) {
  if (error.code().category() == failure_category() && !error.context().empty()) return error.context();
  return error.message();
}

const char* const kExitStatusHelp =
    "Exit status:\n"
    "  0  success\n"
    "  1  failure (anything not listed below)\n"
    "  2  invalid usage: bad option, machine name, size or config (also when vmmd rejects an\n"
    "     argument or config: InvalidArgument, InvalidConfig)\n"
    "  3  a machine of that name already exists (MachineExists)\n"
    "  4  no such machine (NoSuchMachine)\n"
    "  5  access denied (AccessDenied, polkit said no or needs a password with --no-ask-password)\n"
    "  6  vmmd not reachable: no system bus, or nobody owns org.vmmkit.vmm1\n"
    "  7  the machine is in the wrong state for the request (InvalidState)\n";

}  // namespace vmmctl
