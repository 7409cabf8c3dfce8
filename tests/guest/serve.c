// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Service mode: what `vmmctl create NAME` boots when no kernel is given.
// The guest stays up doing nothing but answering: each line typed on COM1
// comes back as "echo: <line>", and a press of the ACPI power button (vmm on
// SIGTERM or the control command `shutdown`) powers it off through S5, so
// vmm exits 0. It sleeps in HLT with no timer: only the UART's and the GED's
// interrupts wake it, so an idle guest costs the host nothing.
#include "acpi.h"
#include "arch.h"
#include "checks.h"
#include "cmdline.h"
#include "console.h"
#include "interrupts.h"
#include "ioapic.h"
#include "paging.h"
#include "uart.h"

enum { SERVE_LINE_MAX = 120 };

struct echo_line {
  char text[SERVE_LINE_MAX + 1];
  unsigned len;
};

static void ack_uart(unsigned vector) {
  (void)vector;
  (void)uart_read(UART_IIR_FCR);
}

// Reads what COM1 holds; echoes every complete line (long lines in pieces).
static void echo_input(struct echo_line* l) {
  int c;
  while ((c = uart_getc()) >= 0) {
    bool end = c == '\r' || c == '\n';
    if (!end && c >= 0x20 && c < 0x7f) l->text[l->len++] = (char)c;
    if ((end && l->len > 0) || l->len == SERVE_LINE_MAX) {
      l->text[l->len] = 0;
      say("echo: %s", l->text);
      l->len = 0;
    }
  }
}

void serve(const struct guest* g) {
  char buf[160];
  struct sink detail;
  sink_init(&detail, buf, sizeof(buf), NULL);
  struct acpi_tables t;
  if (!acpi_find(g, &t, &detail)) {
    say("serve: no ACPI tables (%s); cannot wait for the power button", buf);
    return;
  }
  uint64_t ged_irq = cmdline_u64(&g->boot, "vmmkit.ged_irq", GED_DEFAULT_IRQ);
  uint64_t ged_base = cmdline_u64(&g->boot, "vmmkit.ged_base", GED_DEFAULT_BASE);
  const char* why = "";
  if (ged_irq >= 16 || !paging_map_range(ged_base, 4) ||
      ioapic_route_isa_irq(&g->mp, (unsigned)ged_irq, VEC_GED, &why) < 0) {
    say("serve: the power button's IRQ %lu cannot be used (%s)", ged_irq, why);
    return;
  }
  irq_reset_count(VEC_GED);
  irq_set_handler(VEC_UART, ack_uart);
  if (ioapic_route_isa_irq(&g->mp, COM1_ISA_IRQ, VEC_UART, &why) < 0) {
    say("serve: no serial input (%s)", why);
  }
  uart_write_reg(UART_IER, UART_IER_RDA);
  say("serve: up; type a line and it comes back; the power button powers off");
  struct echo_line line = {0};
  for (;;) {
    cli();
    echo_input(&line);
    if (irq_count(VEC_GED) > 0 && (mmio_read32(ged_base) & GED_POWER_BUTTON)) break;
    sti_hlt();
  }
  cli();
  uart_write_reg(UART_IER, 0);
  say("serve: power button pressed; powering off");
  acpi_enter_s5(&t, &detail);
  say("serve: %s", buf);
}
