// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "ioapic.h"

#include "arch.h"
#include "lapic.h"

enum {
  IOREGSEL = 0x00,
  IOWIN = 0x10,
  IOAPIC_REG_VERSION = 0x01,
  IOAPIC_REG_REDIR = 0x10,  // entry n: low dword 0x10 + 2n, high dword 0x11 + 2n
};
#define REDIR_ACTIVE_LOW (1u << 13)
#define REDIR_LEVEL (1u << 15)
#define REDIR_MASKED (1u << 16)

static uint32_t ioapic_read(uint64_t base, uint32_t reg) {
  mmio_write32(base + IOREGSEL, reg);
  return mmio_read32(base + IOWIN);
}

static void ioapic_write(uint64_t base, uint32_t reg, uint32_t value) {
  mmio_write32(base + IOREGSEL, reg);
  mmio_write32(base + IOWIN, value);
}

static unsigned ioapic_pin_count(uint64_t base) {
  return ((ioapic_read(base, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
}

int ioapic_route_isa_irq(const struct mp_info* mp, unsigned irq, uint8_t vector, const char** why) {
  if (!mp->found) {
    *why = "no MP table, so no IOAPIC routing";
    return -1;
  }
  if (!mp->ioapic_found) {
    *why = "the MP table has no IOAPIC";
    return -1;
  }
  if (irq >= ISA_IRQS || !mp->isa[irq].present) {
    *why = "the MP table has no I/O interrupt entry for the ISA IRQ";
    return -1;
  }
  unsigned pin = mp->isa[irq].pin;
  if (pin >= ioapic_pin_count(mp->ioapic_addr)) {
    *why = "the MP table names an IOAPIC pin the IOAPIC does not have";
    return -1;
  }
  // MP spec 1.4, table 4-10: polarity bits 1:0 and trigger bits 3:2;
  // 00 "conforms to the bus", which for ISA is active high and edge.
  uint16_t flags = mp->isa[irq].flags;
  uint32_t low = vector;
  if ((flags & 0x3) == 0x3) low |= REDIR_ACTIVE_LOW;
  if (((flags >> 2) & 0x3) == 0x3) low |= REDIR_LEVEL;
  ioapic_write(mp->ioapic_addr, IOAPIC_REG_REDIR + 2 * pin + 1, (uint32_t)lapic_id() << 24);
  ioapic_write(mp->ioapic_addr, IOAPIC_REG_REDIR + 2 * pin, low);
  return (int)pin;
}

void ioapic_mask_isa_irq(const struct mp_info* mp, unsigned irq) {
  if (!mp->found || !mp->ioapic_found || irq >= ISA_IRQS || !mp->isa[irq].present) return;
  unsigned pin = mp->isa[irq].pin;
  uint32_t reg = IOAPIC_REG_REDIR + 2 * pin;
  ioapic_write(mp->ioapic_addr, reg, ioapic_read(mp->ioapic_addr, reg) | REDIR_MASKED);
}

int ioapic_route_gsi(const struct mp_info* mp, unsigned gsi, uint8_t vector, const char** why) {
  if (!mp->found || !mp->ioapic_found) {
    *why = "no IOAPIC in the MP table";
    return -1;
  }
  if (gsi >= ioapic_pin_count(mp->ioapic_addr)) {
    *why = "the GSI is beyond the IOAPIC's pins";
    return -1;
  }
  ioapic_write(mp->ioapic_addr, IOAPIC_REG_REDIR + 2 * gsi + 1, (uint32_t)lapic_id() << 24);
  ioapic_write(mp->ioapic_addr, IOAPIC_REG_REDIR + 2 * gsi, vector);
  return (int)gsi;
}

void ioapic_mask_gsi(const struct mp_info* mp, unsigned gsi) {
  if (!mp->found || !mp->ioapic_found || gsi >= ioapic_pin_count(mp->ioapic_addr)) return;
  ioapic_write(mp->ioapic_addr, IOAPIC_REG_REDIR + 2 * gsi, REDIR_MASKED);
}
