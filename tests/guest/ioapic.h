// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// I/O APIC (82093AA datasheet): indirect registers through IOREGSEL/IOWIN.
// ISA IRQs are routed to the pin the MP table names for them.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "mptable.h"

// Routes ISA IRQ `irq` to `vector` on the BSP: finds its IOAPIC pin in the
// MP table, programs the redirection entry with the table's polarity and
// trigger (ISA default: active high, edge), unmasked. Returns the pin, or
// -1 with *why set.
int ioapic_route_isa_irq(const struct mp_info* mp, unsigned irq, uint8_t vector, const char** why);
void ioapic_mask_isa_irq(const struct mp_info* mp, unsigned irq);
// Routes IOAPIC input `gsi` (the MP table's one IOAPIC starts at GSI 0)
// to `vector`, edge-triggered and active high, unmasked: how vmm's irqfds
// drive the virtio-mmio lines. Returns the pin, or -1 with *why set.
int ioapic_route_gsi(const struct mp_info* mp, unsigned gsi, uint8_t vector, const char** why);
void ioapic_mask_gsi(const struct mp_info* mp, unsigned gsi);
