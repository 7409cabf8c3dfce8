// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <linux/kvm.h>

#include <cstddef>
#include <cstdint>

#include <vmm/base/export.hpp>

// Local APIC register state as KVM_GET_LAPIC/KVM_SET_LAPIC exchange it: the
// 1 KiB register page, 32-bit registers at their MMIO offsets.
namespace vmm::x86_64 {

// Register offsets (Intel SDM Vol. 3A, Table 11-1).
inline constexpr size_t kApicLvtLint0 = 0x350;
inline constexpr size_t kApicLvtLint1 = 0x360;

// LVT delivery modes, bits 10..8 (SDM Vol. 3A, 11.5.1).
enum class ApicDeliveryMode : uint32_t {
  kFixed = 0,
  kNmi = 4,
  kExtInt = 7,
};

// offset must be a register offset (a multiple of 16 below 0x400).
[[nodiscard]] VMM_API uint32_t lapic_register(const kvm_lapic_state& lapic, size_t offset);
VMM_API void set_lapic_register(kvm_lapic_state& lapic, size_t offset, uint32_t value);

// Virtual-wire mode, as a PC BIOS leaves the boot CPU (MP spec 1.4, 3.6.2.2):
// LINT0 delivers the legacy PIC's interrupts (ExtINT), LINT1 is NMI. Only
// the delivery modes change; mask bits stay as they are.
VMM_API void set_virtual_wire_mode(kvm_lapic_state& lapic);

}  // namespace vmm::x86_64
