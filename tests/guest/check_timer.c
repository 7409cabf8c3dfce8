// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// timer: the LAPIC timer in periodic mode, and PIT channel 0 at 1 kHz
// through the IOAPIC pin the MP table gives for ISA IRQ 0 (pin 2 on PCs,
// where IRQ 0 is overridden), both running at once until each has ticked
// MIN_TICKS times or WINDOW_US has passed (a long window: the host may be
// busy and a starved vCPU must not turn into a false failure).
#include "arch.h"
#include "checks.h"
#include "clock.h"
#include "interrupts.h"
#include "ioapic.h"
#include "lapic.h"
#include "pit.h"

#define WINDOW_US 2000000
#define LAPIC_PERIOD_US 10000
#define PIT_RATE_HZ 1000
#define MIN_TICKS 3
#define PIT_ISA_IRQ 0
#define WAKE_LIMIT 10000

bool check_timer(const struct guest* g, struct sink* detail) {
  const char* why = "";
  irq_reset_count(VEC_LAPIC_TIMER);
  irq_reset_count(VEC_PIT);
  int pin = ioapic_route_isa_irq(&g->mp, PIT_ISA_IRQ, VEC_PIT, &why);
  if (pin >= 0) pit_start_periodic(PIT_RATE_HZ);
  lapic_timer_start(clock_lapic_count(LAPIC_PERIOD_US), true, false);
  // The periodic LAPIC timer wakes every HLT at least every 10 ms.
  uint64_t start = clock_us();
  for (unsigned i = 0; i < WAKE_LIMIT && clock_us() - start < WINDOW_US; i++) {
    if (irq_count(VEC_LAPIC_TIMER) >= MIN_TICKS && (pin < 0 || irq_count(VEC_PIT) >= MIN_TICKS)) break;
    sti_hlt();
    cli();
  }
  uint64_t elapsed = clock_us() - start;
  lapic_timer_stop();
  if (pin >= 0) {
    ioapic_mask_isa_irq(&g->mp, PIT_ISA_IRQ);
    pit_stop();
  }
  uint32_t lapic = irq_count(VEC_LAPIC_TIMER), pit = irq_count(VEC_PIT);
  if (lapic < MIN_TICKS)
    add_failure(detail, "LAPIC timer: %u interrupts in %lu ms, want %u or more", lapic, elapsed / 1000,
                MIN_TICKS);
  if (pin < 0) {
    add_failure(detail, "PIT: %s", why);
  } else if (pit < MIN_TICKS) {
    add_failure(detail, "PIT: %u interrupts on IOAPIC pin %d in %lu ms, want %u or more", pit, pin,
                elapsed / 1000, MIN_TICKS);
  }
  if (detail->len) return false;
  sink_printf(
      detail,
      "lapic timer %u interrupts (%u ms period), pit %u interrupts (%u Hz) on IOAPIC pin %d, in %lu ms",
      lapic, LAPIC_PERIOD_US / 1000, pit, PIT_RATE_HZ, pin, elapsed / 1000);
  return true;
}
