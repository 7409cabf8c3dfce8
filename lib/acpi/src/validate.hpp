// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <vmm/acpi/tables.hpp>

namespace vmm::acpi::detail {

// Checks everything build_acpi_tables() relies on: vCPU and device counts,
// MMIO and I/O windows (non-empty, not wrapping, below 4 GiB, disjoint from
// each other, the IOAPIC, the LAPIC and the table window), IRQs (IOAPIC
// pins, not the timer's, each used once), sleep registers, OEM ids, window.
Result<void> validate_config(const AcpiConfig& config);

}  // namespace vmm::acpi::detail
