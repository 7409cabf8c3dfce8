// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

enum class KvmErrc {
  kApiVersion = 1,       // KVM_GET_API_VERSION is not 12
  kMissingCapability,    // a capability the VMM needs is absent
  kTooManyEntries,       // CPUID/MSR/routing list longer than KVM accepts
  kMsrRejected,          // KVM_GET_MSRS/KVM_SET_MSRS stopped at an MSR it does not handle
  kInvalidExit,          // kvm_run describes data outside its mapping
};

VMM_API const std::error_category& kvm_category() noexcept;
inline std::error_code make_error_code(KvmErrc e) { return {static_cast<int>(e), kvm_category()}; }

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::KvmErrc> : std::true_type {};
