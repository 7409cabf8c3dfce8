// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Local APIC in xAPIC mode at its default base (SDM Vol. 3A, chapter 11).
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_DEFAULT_BASE 0xfee00000ull

enum lapic_reg {
  LAPIC_ID = 0x020,
  LAPIC_VERSION = 0x030,
  LAPIC_TPR = 0x080,
  LAPIC_EOI = 0x0b0,
  LAPIC_SVR = 0x0f0,
  LAPIC_ESR = 0x280,
  LAPIC_ICR_LOW = 0x300,
  LAPIC_ICR_HIGH = 0x310,
  LAPIC_LVT_TIMER = 0x320,
  LAPIC_LVT_LINT0 = 0x350,
  LAPIC_LVT_LINT1 = 0x360,
  LAPIC_LVT_ERROR = 0x370,
  LAPIC_TIMER_INITIAL = 0x380,
  LAPIC_TIMER_CURRENT = 0x390,
  LAPIC_TIMER_DIVIDE = 0x3e0,
};

// ICR (11.6.1): delivery mode bits 10:8, level bit 14, trigger bit 15.
#define ICR_INIT 0x00000500u
#define ICR_STARTUP 0x00000600u
#define ICR_LEVEL_ASSERT 0x00004000u
#define ICR_DELIVERY_PENDING 0x00001000u

// The LAPIC timer counts at bus clock / 16 here (divide configuration 0b0011).
#define LAPIC_TIMER_DIVISOR 16

uint32_t lapic_read(enum lapic_reg reg);
void lapic_write(enum lapic_reg reg, uint32_t value);

// Enables the LAPIC (IA32_APIC_BASE and SVR), masks LINT0 (the 8259A's
// ExtINT path), keeps LINT1 as NMI, and leaves the timer masked.
void lapic_init(void);
uint8_t lapic_id(void);
void lapic_eoi(void);
// Starts the timer on VEC_LAPIC_TIMER; masked: counts without interrupting.
void lapic_timer_start(uint32_t count, bool periodic, bool masked);
void lapic_timer_stop(void);
// Sends an IPI and waits (bounded) until the LAPIC has sent it.
bool lapic_send_ipi(uint8_t apic_id, uint32_t icr_low);
