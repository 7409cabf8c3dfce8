// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "clock.h"

#include "arch.h"
#include "lapic.h"
#include "pit.h"

// 10 ms of PIT ticks; the count is read about every 40 us (3 VM exits).
#define CALIBRATION_TICKS (PIT_HZ / 100)
#define CALIBRATION_POLL_LIMIT 100000
#define WAKE_INTERVAL_US 10000
// Each HLT ends with some interrupt; far more wake-ups than timer ticks
// (other interrupts included) means time stands still: the wait gives up.
#define EXTRA_WAKES 10000

static bool calibrated;
static uint64_t tsc_khz = 1000000;                          // assumed 1 GHz until calibrated
static uint64_t lapic_khz = 1000000 / LAPIC_TIMER_DIVISOR;  // KVM's 1 GHz bus / 16
static uint64_t tsc_base;

void clock_calibrate(void) {
  pit_start_periodic(0);  // free running, reload 65536
  lapic_timer_start(0xffffffff, false, true);
  uint16_t prev = pit_read_count();
  uint64_t tsc0 = rdtsc();
  uint32_t lapic0 = lapic_read(LAPIC_TIMER_CURRENT);
  uint32_t ticks = 0;
  for (unsigned i = 0; i < CALIBRATION_POLL_LIMIT && ticks < CALIBRATION_TICKS; i++) {
    uint16_t now = pit_read_count();
    ticks += (uint16_t)(prev - now);  // counts down, wrapping at 65536
    prev = now;
  }
  uint64_t tsc1 = rdtsc();
  uint32_t lapic1 = lapic_read(LAPIC_TIMER_CURRENT);
  lapic_timer_stop();
  pit_stop();
  tsc_base = tsc1;
  if (ticks < CALIBRATION_TICKS || tsc1 <= tsc0 || lapic1 >= lapic0) return;
  // khz = counts / (ticks / PIT_HZ) / 1000
  tsc_khz = (tsc1 - tsc0) * (PIT_HZ / 1000) / ticks;
  lapic_khz = (uint64_t)(lapic0 - lapic1) * (PIT_HZ / 1000) / ticks;
  calibrated = tsc_khz && lapic_khz;
  if (!tsc_khz) tsc_khz = 1000000;
  if (!lapic_khz) lapic_khz = 1000000 / LAPIC_TIMER_DIVISOR;
}

bool clock_calibrated(void) { return calibrated; }
uint64_t clock_tsc_khz(void) { return tsc_khz; }
uint64_t clock_lapic_khz(void) { return lapic_khz; }

uint64_t clock_us(void) { return (rdtsc() - tsc_base) * 1000 / tsc_khz; }

uint32_t clock_lapic_count(uint64_t us) {
  uint64_t count = us * lapic_khz / 1000;
  if (count > 0xffffffffu) return 0xffffffffu;
  return count ? (uint32_t)count : 1;
}

bool wait_until(bool (*done)(void* arg), void* arg, uint64_t timeout_us) {
  uint64_t deadline = clock_us() + timeout_us;
  uint64_t wake_limit = 2 * (timeout_us / WAKE_INTERVAL_US) + EXTRA_WAKES;
  for (uint64_t wakes = 0; wakes < wake_limit; wakes++) {
    if (done && done(arg)) return true;
    uint64_t now = clock_us();
    if (now >= deadline) break;
    uint64_t left = deadline - now;
    lapic_timer_start(clock_lapic_count(left < WAKE_INTERVAL_US ? left : WAKE_INTERVAL_US), false, false);
    sti_hlt();
    cli();
  }
  lapic_timer_stop();
  return done ? done(arg) : true;
}

void sleep_us(uint64_t us) { (void)wait_until(NULL, NULL, us); }
