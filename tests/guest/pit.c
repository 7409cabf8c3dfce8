// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "pit.h"

#include "arch.h"

enum { PIT_CH0 = 0x40, PIT_MODE = 0x43 };
// Mode/command byte: channel 0 (bits 7:6 = 00), access lobyte/hibyte
// (bits 5:4 = 11), mode in bits 3:1, binary.
#define PIT_CH0_LOHI 0x30
#define PIT_MODE0 (0 << 1)
#define PIT_MODE2 (2 << 1)
#define PIT_LATCH_CH0 0x00

static void load(uint8_t mode, uint16_t count) {
  outb(PIT_MODE, PIT_CH0_LOHI | mode);
  outb(PIT_CH0, (uint8_t)count);
  outb(PIT_CH0, (uint8_t)(count >> 8));
}

void pit_start_periodic(unsigned hz) {
  uint32_t reload = hz ? PIT_HZ / hz : 0;
  load(PIT_MODE2, reload > 0xffff ? 0 : (uint16_t)reload);  // 0 means 65536
}

uint16_t pit_read_count(void) {
  outb(PIT_MODE, PIT_LATCH_CH0);
  uint8_t lo = inb(PIT_CH0);
  uint8_t hi = inb(PIT_CH0);
  return (uint16_t)(lo | hi << 8);
}

void pit_stop(void) { load(PIT_MODE0, 2); }
