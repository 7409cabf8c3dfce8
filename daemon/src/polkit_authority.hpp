// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <functional>

#include <systemd/sd-bus.h>
#include <vmm/base/result.hpp>

#include "bus_call.hpp"

namespace vmmd {

// The polkit actions of org.vmmkit.vmm1 (units/org.vmmkit.vmm1.policy).
inline constexpr const char* kManageMachines = "org.vmmkit.vmm1.manage-machines";
inline constexpr const char* kControlMachines = "org.vmmkit.vmm1.control-machines";
inline constexpr const char* kOpenConsole = "org.vmmkit.vmm1.open-console";

// Decides whether the sender of a method call may perform a polkit action,
// as systemd's bus_verify_polkit_async does: a caller whose effective uid is
// 0 is allowed at once; anyone else is asked about through
// org.freedesktop.PolicyKit1.Authority.CheckAuthorization with the subject
// ("system-bus-name", {"name": sender}), interactive when the caller allowed
// interactive authorization. No answer, an error or "not authorized" is
// AccessDenied.
class PolkitAuthority {
 public:
  explicit PolkitAuthority(sd_bus* bus) : bus_(bus) {}

  using Decision = std::function<void(vmm::Result<void>)>;
  void check(const MethodCall& call, const char* action, Decision decide) const;

 private:
  sd_bus* bus_;
};

}  // namespace vmmd
