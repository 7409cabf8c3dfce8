// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>

#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/vmm/machine_config.hpp>

#include "machine_virtio.hpp"

namespace vmm {

// Where a machine's ACPI devices sit (documented in docs/machine-config.md).
//
// The GED's register is in the 32-bit MMIO hole at 0xFED0_0000 (where PCs
// put the HPET; this machine has neither an HPET nor an HPET table, so the
// page is free and no guest expects anything else there). Its interrupt
// is GSI 9: an ISA IRQ no device here uses (0 PIT, 1 i8042, 4 COM1, 8 RTC),
// the one PC firmware gives the SCI, which a hardware-reduced machine lacks.
inline constexpr uint64_t kAcpiGedBase = 0xFED0'0000;
inline constexpr uint32_t kAcpiGedIrq = 9;
// SLEEP_CONTROL_REG and SLEEP_STATUS_REG as I/O ports (the FADT's GAS).
inline constexpr uint16_t kAcpiSleepControlPort = 0x600;
inline constexpr uint16_t kAcpiSleepStatusPort = 0x601;
// The SLP_TYP of \_S5_ (any value 0-7 works; the guest reads it from the DSDT).
inline constexpr uint8_t kAcpiS5SleepType = 5;

// Builds the ACPI tables for `config` (vCPUs, COM1, the virtio-mmio devices
// in `virtio`, the power button, the sleep registers) and writes them to the
// BIOS area; returns the RSDP's address.
Result<GuestAddress> write_machine_acpi(const MachineConfig& config, std::span<const VirtioSlot> virtio,
                                        GuestMemory& memory);

}  // namespace vmm
