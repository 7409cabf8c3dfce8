// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Time: the TSC and the LAPIC timer, both calibrated against PIT channel 0
// at start-up; waits sleep in HLT, woken by a one-shot LAPIC timer.
#pragma once

#include <stdbool.h>
#include <stdint.h>

void clock_calibrate(void);
bool clock_calibrated(void);
uint64_t clock_tsc_khz(void);
uint64_t clock_lapic_khz(void);  // LAPIC timer counts per ms (after its divider)
// Microseconds since calibration.
uint64_t clock_us(void);
// LAPIC timer counts for a duration, clamped to 32 bits and at least 1.
uint32_t clock_lapic_count(uint64_t us);

// Sleeps with interrupts enabled (STI; HLT) until done(arg) holds or
// timeout_us passes; done is checked after every wake-up and at least
// every 10 ms. Returns whether done() held. done may be NULL (a sleep).
bool wait_until(bool (*done)(void* arg), void* arg, uint64_t timeout_us);
void sleep_us(uint64_t us);
