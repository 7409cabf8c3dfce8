// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The kernel's (C) layout of the KVM structs that end in a flexible array,
// and the ioctl numbers derived from them.
//
// Why: linux/kvm.h from Linux 6.1 (Debian 12's linux-libc-dev) declares those
// arrays with __DECLARE_FLEX_ARRAY, whose empty struct has size 1 in C++.
// Compiled as C++, sizeof(kvm_cpuid2) is 12 instead of 8 and the entries move
// to offset 12, so KVM_SET_CPUID2, KVM_GET_MSRS & co. encode the wrong size
// and KVM answers EINVAL or ENOTTY. Later uapi headers fix the macro for C++;
// these definitions are right with either.
#pragma once

#include <linux/kvm.h>
#include <sys/ioctl.h>

#include <cstdint>

namespace vmm::kvm_detail {

struct CpuidHeader {  // struct kvm_cpuid2, then kvm_cpuid_entry2[nent]
  uint32_t nent;
  uint32_t padding;
};
struct MsrsHeader {  // struct kvm_msrs, then kvm_msr_entry[nmsrs]
  uint32_t nmsrs;
  uint32_t pad;
};
struct MsrListHeader {  // struct kvm_msr_list, then __u32 indices[nmsrs]
  uint32_t nmsrs;
};
struct IrqRoutingHeader {  // struct kvm_irq_routing, then kvm_irq_routing_entry[nr]
  uint32_t nr;
  uint32_t flags;
};
static_assert(sizeof(CpuidHeader) == 8 && sizeof(MsrsHeader) == 8 && sizeof(MsrListHeader) == 4 &&
              sizeof(IrqRoutingHeader) == 8);

// Same numbers as in linux/kvm.h, computed from the C sizes above.
inline constexpr unsigned long kGetMsrIndexList = _IOWR(KVMIO, 0x02, MsrListHeader);
inline constexpr unsigned long kGetSupportedCpuid = _IOWR(KVMIO, 0x05, CpuidHeader);
inline constexpr unsigned long kSetGsiRouting = _IOW(KVMIO, 0x6a, IrqRoutingHeader);
inline constexpr unsigned long kGetMsrs = _IOWR(KVMIO, 0x88, MsrsHeader);
inline constexpr unsigned long kSetMsrs = _IOW(KVMIO, 0x89, MsrsHeader);
inline constexpr unsigned long kSetCpuid2 = _IOW(KVMIO, 0x90, CpuidHeader);

}  // namespace vmm::kvm_detail
