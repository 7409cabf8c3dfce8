// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The ACPI tables vmm writes (ACPI 6.5, 5.2), found and checked: the RSDP
// where the boot protocol passes it (boot_params acpi_rsdp_addr,
// hvm_start_info rsdp_paddr) or by the legacy scan of 0xE0000-0xFFFFF on
// 16-byte boundaries (5.2.5.1), then the XSDT, FADT, MADT and DSDT, each
// with its checksum.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "checks.h"

struct acpi_tables {
  uint64_t rsdp;
  const char* rsdp_from;  // "boot_params", "start_info" or "scan"
  const uint8_t* xsdt;
  const uint8_t* fadt;
  const uint8_t* madt;
  const uint8_t* dsdt;
};

// Fills `t`; on failure says why in `detail` and returns false.
bool acpi_find(const struct guest* g, struct acpi_tables* t, struct sink* detail);
uint32_t acpi_table_length(const uint8_t* table);
// Enabled Processor Local APIC and x2APIC entries of the MADT.
unsigned acpi_madt_cpus(const uint8_t* madt);
// The SLP_TYP of the DSDT's \_S5_ package (7.4.2), or `fallback`.
uint8_t acpi_s5_sleep_type(const uint8_t* dsdt, uint8_t fallback);
// The FADT's SLEEP_CONTROL_REG when it is a byte in system I/O space; 0 otherwise.
uint16_t acpi_sleep_control_port(const uint8_t* fadt);

// vmm's GED (power button) defaults (lib/vmm/src/machine_acpi.hpp); the
// checks take them from vmmkit.ged_irq= / vmmkit.ged_base= when given.
enum { GED_POWER_BUTTON = 1 << 0, GED_DEFAULT_IRQ = 9 };
#define GED_DEFAULT_BASE 0xFED00000ull
