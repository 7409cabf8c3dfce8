// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <linux/kvm.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>

// The boot GDT, written at kGdtStart, and the kvm_segment values that match
// it (KVM takes the hidden segment state from KVM_SET_SREGS, not from guest
// memory, so both must agree for the guest's first segment reload).
namespace vmm::x86_64 {

// Selectors. The Linux 64-bit boot protocol (boot.rst, "64-bit Boot
// Protocol") wants __BOOT_CS = 0x10 and __BOOT_DS = 0x18; the 32-bit PVH
// entry (pvh.rst) leaves selectors unspecified and uses kCode32Selector.
inline constexpr uint16_t kCode32Selector = 0x08;
inline constexpr uint16_t kCode64Selector = 0x10;
inline constexpr uint16_t kDataSelector = 0x18;
inline constexpr uint16_t kTssSelector = 0x20;  // 16-byte system descriptor in long mode

// Descriptor attributes as a 16-bit word: access byte in bits 7..0 (P, DPL,
// S, type), flags G, D/B, L, AVL in bits 15..12 (Intel SDM Vol. 3A, 3.4.5).
inline constexpr uint16_t kCode32Flags = 0xc09b;  // G, D=32-bit, P, S, execute/read, accessed
inline constexpr uint16_t kCode64Flags = 0xa09b;  // G, L=64-bit, P, S, execute/read, accessed
inline constexpr uint16_t kDataFlags = 0xc093;    // G, B=32-bit, P, S, read/write, accessed
inline constexpr uint16_t kTssFlags = 0x008b;     // P, busy TSS (type 11: 32-bit, or 64-bit in long mode)
// pvh.rst: "tr: must be a 32-bit TSS (active) with a base of '0' and a limit of '0x67'".
inline constexpr uint32_t kTssLimit = 0x67;

inline constexpr size_t kGdtEntries = 6;  // null, code32, code64, data, TSS (2 slots)
using Gdt = std::array<uint64_t, kGdtEntries>;

// Encodes one segment descriptor (SDM Vol. 3A, Figure 3-8).
[[nodiscard]] constexpr uint64_t gdt_entry(uint16_t flags, uint32_t base, uint32_t limit) {
  return ((uint64_t{base} & 0xff00'0000) << 32) | ((uint64_t{flags} & 0xf0ff) << 40) |
         ((uint64_t{limit} & 0xf'0000) << 32) | ((uint64_t{base} & 0x00ff'ffff) << 16) |
         (uint64_t{limit} & 0xffff);
}

// Flat 4 GiB code and data segments, and a TSS at 0 (its upper descriptor
// half, base 63..32, is zero).
[[nodiscard]] VMM_API Gdt boot_gdt();

// Decodes a descriptor into the kvm_segment KVM_SET_SREGS wants; the limit is
// in bytes (scaled by G), a non-present segment is marked unusable.
[[nodiscard]] VMM_API kvm_segment segment_from_gdt_entry(uint64_t entry, uint16_t selector);

// The kvm_segment for a selector of boot_gdt().
[[nodiscard]] VMM_API kvm_segment boot_segment(uint16_t selector);

// Writes boot_gdt() at kGdtStart and an all-zero IDT (kIdtSize bytes) at kIdtStart.
VMM_API Result<void> write_gdt(GuestMemory& memory);

}  // namespace vmm::x86_64
