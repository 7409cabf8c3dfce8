// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// 8254 PIT channel 0 (ports 0x40, 0x43), wired to ISA IRQ 0.
#pragma once

#include <stdint.h>

#define PIT_HZ 1193182u

// Mode 2 (rate generator) at `hz`; hz 0 means the slowest (reload 65536).
void pit_start_periodic(unsigned hz);
// Latches and reads the current count.
uint16_t pit_read_count(void);
// Mode 0 with a short count: one last edge, then the output stays high.
void pit_stop(void);
