// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Intel MultiProcessor Specification 1.4 tables: the floating pointer
// ("_MP_", 4.1) and the configuration table ("PCMP", 4.2-4.3).
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MP_MAX_CPUS 32
#define ISA_IRQS 16

struct mp_isa_irq {
  bool present;
  uint8_t pin;     // IOAPIC INTIN#
  uint16_t flags;  // polarity bits 1:0, trigger bits 3:2
};

struct mp_info {
  bool found;
  const char* error;  // why it was not found or not used
  uint64_t pointer_addr;
  uint64_t table_addr;
  uint32_t table_len;
  uint32_t lapic_addr;
  unsigned entry_count;    // the header's entry count
  unsigned entries_found;  // entries within the base table length
  unsigned ncpus;          // enabled processor entries
  uint8_t apic_ids[MP_MAX_CPUS];
  bool is_bsp[MP_MAX_CPUS];
  bool ioapic_found;
  uint8_t ioapic_id;
  uint32_t ioapic_addr;
  struct mp_isa_irq isa[ISA_IRQS];
};

// Searches the areas of spec 4 (first KiB of the EBDA, last KiB of base
// memory, 0xf0000-0xfffff), checks both checksums and reads the entries.
// Like Linux, it walks the entries by the base table length; whether the
// header's entry count agrees is left to the smp check to judge.
void mp_parse(struct mp_info* mp);
