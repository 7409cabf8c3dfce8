// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The IDT (vectors 0-63), per-vector counters and handlers. Exceptions are
// fatal: they are reported through the fatal hook and the machine resets.
#pragma once

#include <stdint.h>

enum vector {
  VEC_LAPIC_TIMER = 0x20,
  VEC_PIT = 0x21,       // ISA IRQ 0 through the IOAPIC
  VEC_UART = 0x22,      // ISA IRQ 4 through the IOAPIC
  VEC_KEYBOARD = 0x23,  // ISA IRQ 1 through the IOAPIC
  VEC_GED = 0x24,       // the ACPI GED (power button), ISA IRQ 9 by default
  VEC_VIRTIO = 0x25,    // the virtio-mmio device under test (its cmdline GSI)
  VEC_LAPIC_ERROR = 0x2e,
  VEC_SPURIOUS = 0x2f,  // LAPIC spurious-interrupt vector
  VEC_PIC_BASE = 0x30,  // 8259A master 0x30-0x37, slave 0x38-0x3f (all masked)
};

// Saved by isr.S, lowest address first.
struct int_frame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error;
  uint64_t rip, cs, rflags, rsp, ss;  // pushed by the CPU
};

typedef void (*irq_handler)(unsigned vector);

void interrupts_init(void);
void irq_set_handler(unsigned vector, irq_handler handler);
uint32_t irq_count(unsigned vector);
void irq_reset_count(unsigned vector);
// Called with a description of a CPU exception; must not return.
void set_fatal_hook(void (*hook)(const char* what));
