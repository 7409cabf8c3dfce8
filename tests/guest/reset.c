// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "reset.h"

#include "arch.h"
#include "i8042.h"

// How long the i8042 reset gets before the fallback, in port-0x80 writes
// (each one a VM exit of some microseconds; the VMM stops the vCPU at once).
#define RESET_GRACE_EXITS 2000

__attribute__((noreturn)) void machine_reset(void) {
  cli();
  i8042_pulse_reset();
  for (unsigned i = 0; i < RESET_GRACE_EXITS; i++) outb(0x80, 0);
  // Triple fault: with an empty IDT, #UD cannot be delivered, nor the #GP
  // or #DF that follow, so the CPU shuts down (SDM Vol. 3A, 7.15 #DF);
  // QEMU -no-reboot then exits, a VMM sees a shutdown exit.
  struct __attribute__((packed)) {
    uint16_t limit;
    uint64_t base;
  } empty = {0, 0};
  __asm__ volatile("lidt %0; ud2" : : "m"(empty));
  for (;;) __asm__ volatile("hlt");
}
