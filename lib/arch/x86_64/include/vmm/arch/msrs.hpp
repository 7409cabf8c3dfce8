// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/kvm/vcpu.hpp>

namespace vmm::x86_64 {

// MSR indices (Intel SDM Vol. 4, Table 2-2; AMD APM Vol. 2, A.2).
enum class Msr : uint32_t {
  kSysenterCs = 0x174,
  kSysenterEsp = 0x175,
  kSysenterEip = 0x176,
  kMiscEnable = 0x1a0,
  kMtrrDefType = 0x2ff,
  kStar = 0xc000'0081,
  kLstar = 0xc000'0082,
  kCstar = 0xc000'0083,
  kSyscallMask = 0xc000'0084,
  kKernelGsBase = 0xc000'0102,
};

inline constexpr uint64_t kMiscEnableFastStrings = 1ULL << 0;
// IA32_MTRR_DEF_TYPE: MTRRs enabled (bit 11), default type write-back (6).
inline constexpr uint64_t kMtrrDefTypeWriteBackEnabled = (1ULL << 11) | 6;

// The MSR values a vCPU boots with: the SYSENTER/SYSCALL MSRs and
// KERNEL_GS_BASE zero (the kernel programs them), fast strings on, and MTRRs
// enabled with write-back as the default type so the guest does not run
// uncached. IA32_TSC is left alone: KVM starts every vCPU's TSC at 0 and
// keeps them in sync; a write from here would only perturb that.
// IA32_ARCH_CAPABILITIES (0x10a) is never set: not every KVM accepts it.
[[nodiscard]] VMM_API std::vector<MsrEntry> boot_msrs();

}  // namespace vmm::x86_64
