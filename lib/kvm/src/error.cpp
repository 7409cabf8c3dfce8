// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/kvm/error.hpp>

namespace vmm {
namespace {

const char* describe_kvm_error(int code) {
  switch (static_cast<KvmErrc>(code)) {
    case KvmErrc::kApiVersion:
      return "unsupported KVM API version (need 12)";
    case KvmErrc::kMissingCapability:
      return "KVM lacks a required capability";
    case KvmErrc::kTooManyEntries:
      return "more entries than KVM accepts";
    case KvmErrc::kMsrRejected:
      return "KVM does not accept this MSR or value";
    case KvmErrc::kInvalidExit:
      return "KVM reported an exit with data outside kvm_run";
  }
  return "unknown KVM error";
}

}  // namespace

const std::error_category& kvm_category() noexcept {
  static const ErrorCategory kCategory("vmm.kvm", describe_kvm_error);
  return kCategory;
}

}  // namespace vmm
