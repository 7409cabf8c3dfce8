// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "lapic.h"

#include "arch.h"
#include "interrupts.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define SVR_APIC_ENABLE 0x100u
#define LVT_MASKED 0x10000u
#define LVT_NMI 0x400u
#define LVT_TIMER_PERIODIC 0x20000u
#define TIMER_DIVIDE_BY_16 0x3u
#define ICR_POLL_LIMIT 10000

uint32_t lapic_read(enum lapic_reg reg) { return mmio_read32(LAPIC_DEFAULT_BASE + reg); }
void lapic_write(enum lapic_reg reg, uint32_t value) { mmio_write32(LAPIC_DEFAULT_BASE + reg, value); }

void lapic_init(void) {
  // xAPIC mode at the default base (11.4.4); leaving x2APIC mode needs a
  // pass through "disabled" first (11.12.5).
  uint64_t base = rdmsr(MSR_APIC_BASE);
  uint64_t want = LAPIC_DEFAULT_BASE | APIC_BASE_ENABLE | (base & APIC_BASE_BSP);
  if (base != want) {
    if (base & APIC_BASE_X2APIC) wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE));
    wrmsr(MSR_APIC_BASE, want);
  }
  lapic_write(LAPIC_TPR, 0);
  lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | VEC_SPURIOUS);
  lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
  lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
  lapic_write(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);
  lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
  lapic_timer_stop();
  lapic_write(LAPIC_ESR, 0);  // write before read (11.5.3)
}

uint8_t lapic_id(void) { return (uint8_t)(lapic_read(LAPIC_ID) >> 24); }
void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

void lapic_timer_start(uint32_t count, bool periodic, bool masked) {
  lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
  lapic_write(LAPIC_LVT_TIMER,
              VEC_LAPIC_TIMER | (periodic ? LVT_TIMER_PERIODIC : 0) | (masked ? LVT_MASKED : 0));
  lapic_write(LAPIC_TIMER_INITIAL, count);
}

void lapic_timer_stop(void) {
  lapic_write(LAPIC_LVT_TIMER, VEC_LAPIC_TIMER | LVT_MASKED);
  lapic_write(LAPIC_TIMER_INITIAL, 0);
}

bool lapic_send_ipi(uint8_t apic_id, uint32_t icr_low) {
  lapic_write(LAPIC_ICR_HIGH, (uint32_t)apic_id << 24);
  lapic_write(LAPIC_ICR_LOW, icr_low);
  for (unsigned i = 0; i < ICR_POLL_LIMIT; i++) {
    if (!(lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING)) return true;
    cpu_pause();
  }
  return false;
}
