// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <linux/kvm.h>

#include <cstdint>

#include <vmm/base/export.hpp>
#include <vmm/memory/guest_address.hpp>

// Register state for the two entry points, as pure functions of the current
// state (so tests and snapshots can inspect them); vcpu_setup.hpp applies
// them to a vCPU.
namespace vmm::x86_64 {

// Control register and EFER bits (Intel SDM Vol. 3A, 2.5 and 2.2.1).
inline constexpr uint64_t kCr0Pe = 1ULL << 0;   // protected mode
inline constexpr uint64_t kCr0Et = 1ULL << 4;   // extension type, hardwired to 1 on modern CPUs
inline constexpr uint64_t kCr0Ne = 1ULL << 5;   // native x87 error reporting
inline constexpr uint64_t kCr0Pg = 1ULL << 31;  // paging
inline constexpr uint64_t kCr4Pae = 1ULL << 5;
inline constexpr uint64_t kEferLme = 1ULL << 8;   // long mode enable
inline constexpr uint64_t kEferLma = 1ULL << 10;  // long mode active
// RFLAGS bit 1 is reserved and always 1; IF, TF, VM clear (interrupts off).
inline constexpr uint64_t kBootRflags = 0x2;

// x87 control word after FNINIT and MXCSR at power-up (SDM Vol. 1, 8.1.5 and 10.2.3.1).
inline constexpr uint16_t kBootFcw = 0x37f;
inline constexpr uint32_t kBootMxcsr = 0x1f80;

// Long mode with the boot GDT and page tables (boot.rst, "64-bit Boot
// Protocol"): CR0 = PE|ET|NE|PG with caches enabled, CR4 = PAE,
// EFER = LME|LMA, CR3 = kPml4Start, CS = __BOOT_CS (L=1), DS/ES/FS/GS/SS =
// __BOOT_DS, TR = the boot TSS. Everything else (APIC base, interrupt
// bitmap, LDT) is kept from `current`.
[[nodiscard]] VMM_API kvm_sregs long_mode_sregs(const kvm_sregs& current);

// 32-bit protected mode without paging for the PVH entry (Xen pvh.rst):
// CR0 = PE|ET, CR4 = 0, EFER = 0, flat 4 GiB 32-bit code and data segments,
// TR = 32-bit TSS at 0 with limit 0x67.
[[nodiscard]] VMM_API kvm_sregs pvh_sregs(const kvm_sregs& current);

// rip = entry, rsi = boot_params, rflags = 0x2, rsp = kBootStackPointer,
// rbp = 0 (ends frame-pointer walks); all other registers zero.
[[nodiscard]] VMM_API kvm_regs long_mode_regs(GuestAddress entry, GuestAddress boot_params);

// rip = entry32, rbx = start_info, rflags = 0x2, rsp = kBootStackPointer.
[[nodiscard]] VMM_API kvm_regs pvh_regs(GuestAddress entry32, GuestAddress start_info);

// Reset x87/SSE state: fcw = 0x37f, mxcsr = 0x1f80, the rest zero.
[[nodiscard]] VMM_API kvm_fpu boot_fpu();

}  // namespace vmm::x86_64
