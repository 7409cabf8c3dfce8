// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <vmm/arch/layout.hpp>
#include <vmm/arch/mp_spec.hpp>
#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>

// The MP table (Intel MP spec 1.4) tells a guest without ACPI about the
// vCPUs, the IOAPIC and how ISA interrupts reach it. Layout at kMpTableStart:
// floating pointer, then the configuration table: one processor entry per
// vCPU (APIC id = vCPU index, vCPU 0 the BSP), bus 0 "ISA", the IOAPIC
// (id = vCPU count), one I/O interrupt entry per IOAPIC pin and the two
// local interrupt entries (ExtINT -> LINTIN0, NMI -> LINTIN1, all CPUs).
//
// Interrupt routing follows KVM's default GSI routing (KVM_CREATE_IRQCHIP):
// GSI n drives IOAPIC pin n, and the in-kernel PIT raises GSI 0. So IRQ n
// maps to pin n for every pin, IRQ 0 included: there is no "IRQ 0 -> pin 2"
// override as on PC chipsets. Pins 16..23 are listed as ISA IRQs 16..23 so
// devices given those GSIs (virtio-mmio) are routable without ACPI.
namespace vmm::x86_64 {

inline constexpr unsigned kIoapicPins = 24;      // KVM's IOAPIC (KVM_IOAPIC_NUM_PINS)
inline constexpr uint8_t kLapicVersion = 0x14;   // KVM's LAPIC version register
inline constexpr uint8_t kIoapicVersion = 0x11;  // KVM's IOAPIC version register

// Bytes of floating pointer + configuration table for `num_cpus` vCPUs.
[[nodiscard]] constexpr size_t mptable_size(unsigned num_cpus) {
  return sizeof(mp::FloatingPointer) + sizeof(mp::ConfigHeader) + num_cpus * sizeof(mp::ProcessorEntry) +
         sizeof(mp::BusEntry) + sizeof(mp::IoapicEntry) + (kIoapicPins + 2) * sizeof(mp::InterruptEntry);
}

// As many vCPUs as fit in the EBDA's KiB: 37.
inline constexpr unsigned kMpTableMaxCpus =
    static_cast<unsigned>((kMpTableEnd - kMpTableStart - mptable_size(0)) / sizeof(mp::ProcessorEntry));

// The table as written at kMpTableStart. Errors: 0 or more than
// kMpTableMaxCpus vCPUs.
VMM_API Result<std::vector<uint8_t>> build_mptable(unsigned num_cpus);

VMM_API Result<void> write_mptable(GuestMemory& memory, unsigned num_cpus);

}  // namespace vmm::x86_64
