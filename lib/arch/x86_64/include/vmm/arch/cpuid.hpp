// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/kvm/kvm.hpp>
#include <vmm/kvm/vcpu.hpp>

namespace vmm::x86_64 {

// One socket, one thread per core, one core per vCPU; vCPU i has APIC id i.
struct CpuidSpec {
  uint32_t vcpu_index = 0;
  uint32_t vcpu_count = 1;
};

// xAPIC ids are 8 bits and 0xff is the broadcast id (CPUID.1:EBX[31:24]).
inline constexpr uint32_t kMaxXapicVcpus = 255;

// "KVMKVMKVM\0\0\0" in EBX, ECX, EDX of leaf 0x4000_0000 (Linux
// Documentation/virt/kvm/x86/cpuid.rst).
inline constexpr uint32_t kKvmSignatureEbx = 0x4b4d564b;  // "KVMK"
inline constexpr uint32_t kKvmSignatureEcx = 0x564b4d56;  // "VMKV"
inline constexpr uint32_t kKvmSignatureEdx = 0x0000004d;  // "M\0\0\0"

// The CPUID table of one vCPU, derived from KVM_GET_SUPPORTED_CPUID:
//  - 0x1: EBX[31:24] initial APIC id, EBX[23:16] logical processors, EDX.HTT
//    when there are several, ECX.hypervisor (bit 31) set; x2APIC and
//    TSC-deadline stay as KVM reports them.
//  - 0x4 (Intel caches): EAX[31:26] cores - 1; L1/L2 per core, L3 shared.
//  - 0x6: only ARAT kept (no thermal sensors, turbo, HWP or EPB emulated).
//  - 0xA: zeroed (no virtual PMU).
//  - 0xB and 0x1F: rebuilt: SMT level 1 thread, core level vcpu_count,
//    EDX = x2APIC id on every sub-leaf.
//  - 0x4000_0000: KVM signature, max leaf 0x4000_0001; 0x4000_0001: KVM's
//    paravirt features as KVM reports them.
//  - 0x8000_0008 (address sizes): as KVM reports, except the AMD core count
//    ECX[7:0] = vcpu_count - 1; 0x8000_001D (AMD caches) like 0x4;
//    0x8000_001E (AMD): extended APIC id = core id = vcpu_index, node 0.
// Errors: vcpu_count 0 or above kMaxXapicVcpus, vcpu_index >= vcpu_count.
VMM_API Result<CpuidEntries> build_cpuid(const CpuidEntries& supported, const CpuidSpec& spec);

// KVM_SET_CPUID2 with `entries`.
VMM_API Result<void> apply_cpuid(Vcpu& vcpu, const CpuidEntries& entries);

}  // namespace vmm::x86_64
