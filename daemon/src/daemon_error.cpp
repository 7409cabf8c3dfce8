// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "daemon_error.hpp"

#include <vmm/base/error_category.hpp>
#include <vmm/vmm/error.hpp>

namespace vmmd {
namespace {

const char* describe(int code) {
  switch (static_cast<DaemonErrc>(code)) {
    case DaemonErrc::kNoSuchMachine: return "no such machine";
    case DaemonErrc::kMachineExists: return "machine exists";
    case DaemonErrc::kInvalidArgument: return "invalid argument";
    case DaemonErrc::kInvalidConfig: return "invalid machine config";
    case DaemonErrc::kInvalidState: return "machine is in the wrong state";
    case DaemonErrc::kAccessDenied: return "access denied";
    case DaemonErrc::kTimeout: return "timed out";
    case DaemonErrc::kFailed: return "operation failed";
  }
  return "unknown vmmd error";
}

const char* name_of(DaemonErrc code) {
  switch (code) {
    case DaemonErrc::kNoSuchMachine: return "org.vmmkit.vmm1.Error.NoSuchMachine";
    case DaemonErrc::kMachineExists: return "org.vmmkit.vmm1.Error.MachineExists";
    case DaemonErrc::kInvalidArgument: return "org.vmmkit.vmm1.Error.InvalidArgument";
    case DaemonErrc::kInvalidConfig: return "org.vmmkit.vmm1.Error.InvalidConfig";
    case DaemonErrc::kInvalidState: return "org.vmmkit.vmm1.Error.InvalidState";
    case DaemonErrc::kAccessDenied: return "org.vmmkit.vmm1.Error.AccessDenied";
    case DaemonErrc::kTimeout: return "org.vmmkit.vmm1.Error.Timeout";
    case DaemonErrc::kFailed: return "org.vmmkit.vmm1.Error.Failed";
  }
  return "org.vmmkit.vmm1.Error.Failed";
}

}  // namespace

const std::error_category& daemon_category() noexcept {
  static const vmm::ErrorCategory category("vmmd", describe);
  return category;
}

vmm::Error daemon_error(DaemonErrc code, std::string message) {
  return vmm::Error(make_error_code(code), std::move(message));
}

const char* bus_error_name(const vmm::Error& error) {
  if (error.code().category() == daemon_category()) return name_of(static_cast<DaemonErrc>(error.code().value()));
  if (error.code().category() == vmm::config_category()) return name_of(DaemonErrc::kInvalidConfig);
  return name_of(DaemonErrc::kFailed);
}

std::string bus_error_message(const vmm::Error& error) {
  if (error.code().category() == daemon_category() && !error.context().empty()) return error.context();
  return error.message();
}

}  // namespace vmmd
