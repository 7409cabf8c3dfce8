// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// poweroff: enter S5 through the FADT's SLEEP_CONTROL_REG (ACPI 6.5,
// 4.8.3.7: SLP_TYP << 2 | SLP_EN); the machine must go away, so coming back
// after 100 ms is a failure.
// powerbutton: wait for the host to press the power button (vmm on SIGTERM
// with ACPI): the GED's interrupt arrives, its register has bit 0 set; then
// report PASS and power off the same way.
#include "acpi.h"
#include "arch.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "interrupts.h"
#include "ioapic.h"
#include "lib.h"
#include "paging.h"

enum {
  SLP_EN = 1 << 5,
  SLP_TYP_SHIFT = 2,
  S5_FALLBACK = 5,
};

// Writes S5 and returns only if the machine is still there after 100 ms.
void acpi_enter_s5(const struct acpi_tables* t, struct sink* detail) {
  uint16_t port = acpi_sleep_control_port(t->fadt);
  if (port == 0) {
    add_failure(detail, "the FADT's SLEEP_CONTROL_REG is not a byte I/O port");
    return;
  }
  uint8_t type = acpi_s5_sleep_type(t->dsdt, S5_FALLBACK);
  say("poweroff: writing 0x%x (S5 type %u) to port 0x%x", (unsigned)(type << SLP_TYP_SHIFT | SLP_EN), type,
      port);
  outb(port, (uint8_t)(type << SLP_TYP_SHIFT | SLP_EN));
  sleep_us(100 * 1000);
  add_failure(detail, "still running 100 ms after writing S5 type %u to port 0x%x", type, port);
}

bool check_poweroff(const struct guest* g, struct sink* detail) {
  struct acpi_tables t;
  if (!acpi_find(g, &t, detail)) return false;
  acpi_enter_s5(&t, detail);
  return false;
}

static bool ged_interrupted(void* arg) {
  (void)arg;
  return irq_count(VEC_GED) > 0;
}

bool check_powerbutton(const struct guest* g, struct sink* detail) {
  struct acpi_tables t;
  if (!acpi_find(g, &t, detail)) return false;
  uint64_t timeout_ms = cmdline_u64(&g->boot, "vmmkit.pb_timeout_ms", 10000);
  uint64_t irq = cmdline_u64(&g->boot, "vmmkit.ged_irq", GED_DEFAULT_IRQ);
  uint64_t base = cmdline_u64(&g->boot, "vmmkit.ged_base", GED_DEFAULT_BASE);
  if (irq >= 16 || !paging_map_range(base, 4)) {
    add_failure(detail, "GED IRQ %lu must be an ISA IRQ and 0x%lx mappable", irq, base);
    return false;
  }
  const char* why = "";
  irq_reset_count(VEC_GED);
  int pin = ioapic_route_isa_irq(&g->mp, (unsigned)irq, VEC_GED, &why);
  if (pin < 0) {
    add_failure(detail, "GED IRQ %lu not routed: %s", irq, why);
    return false;
  }
  say("powerbutton: waiting up to %lu ms for the GED interrupt (IRQ %lu, pin %d)", timeout_ms, irq, pin);
  bool interrupted = wait_until(ged_interrupted, NULL, timeout_ms * 1000);
  ioapic_mask_isa_irq(&g->mp, (unsigned)irq);
  uint32_t events = mmio_read32(base);
  if (!interrupted || !(events & GED_POWER_BUTTON)) {
    add_failure(detail, "%s, GED register 0x%x", interrupted ? "GED interrupt" : "no GED interrupt", events);
    return false;
  }
  // The check's own result line comes before the machine goes away.
  say("powerbutton PASS GED interrupt, register 0x%x", events);
  acpi_enter_s5(&t, detail);
  return false;
}
