// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "interrupts.h"

#include "arch.h"
#include "console.h"
#include "lapic.h"
#include "layout.h"
#include "reset.h"

// A 64-bit interrupt gate (SDM Vol. 3A, 7.14.1 "64-Bit Mode IDT").
struct idt_gate {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;
  uint8_t type_attr;
  uint16_t offset_mid;
  uint32_t offset_high;
  uint32_t reserved;
} __attribute__((packed));

#define GATE_INTERRUPT_PRESENT 0x8e

extern const char isr_stubs[];  // isr.S

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
static irq_handler handlers[IDT_VECTORS];
static volatile uint32_t counts[IDT_VECTORS];
static void (*fatal_hook)(const char* what);

void interrupts_init(void) {
  for (unsigned v = 0; v < IDT_VECTORS; v++) {
    uint64_t stub = (uint64_t)(uintptr_t)(isr_stubs + v * ISR_STUB_SIZE);
    idt[v] = (struct idt_gate){
        .offset_low = (uint16_t)stub,
        .selector = SEL_CODE64,
        .type_attr = GATE_INTERRUPT_PRESENT,
        .offset_mid = (uint16_t)(stub >> 16),
        .offset_high = (uint32_t)(stub >> 32),
    };
  }
  struct __attribute__((packed)) {
    uint16_t limit;
    uint64_t base;
  } idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
  __asm__ volatile("lidt %0" : : "m"(idtr));
}

void irq_set_handler(unsigned vector, irq_handler handler) {
  if (vector < IDT_VECTORS) handlers[vector] = handler;
}

uint32_t irq_count(unsigned vector) { return vector < IDT_VECTORS ? counts[vector] : 0; }
void irq_reset_count(unsigned vector) {
  if (vector < IDT_VECTORS) counts[vector] = 0;
}
void set_fatal_hook(void (*hook)(const char* what)) { fatal_hook = hook; }

static const char* exception_name(uint64_t vector) {
  static const char* const names[] = {"#DE", "#DB",         "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
                                      "#DF", "coprocessor", "#TS", "#NP", "#SS", "#GP", "#PF", "reserved",
                                      "#MF", "#AC",         "#MC", "#XM", "#VE", "#CP"};
  return vector < ARRAY_SIZE(names) ? names[vector] : "exception";
}

static void fatal_exception(const struct int_frame* f) {
  char buf[160];
  struct sink s;
  sink_init(&s, buf, sizeof(buf), NULL);
  sink_printf(&s, "CPU exception %lu (%s), error code %#lx, at rip %#lx", f->vector,
              exception_name(f->vector), f->error, f->rip);
  if (f->vector == 14) sink_printf(&s, ", cr2 %#lx", read_cr2());
  void (*hook)(const char*) = fatal_hook;
  fatal_hook = NULL;  // an exception inside the hook must not recurse
  if (hook) hook(buf);
  say("FATAL %s", buf);
  machine_reset();
}

void interrupt_dispatch(struct int_frame* f) {
  unsigned v = (unsigned)f->vector;
  if (v < 32 && v != 2) fatal_exception(f);
  counts[v]++;
  if (handlers[v]) handlers[v](v);
  // Vectors the LAPIC delivered need an EOI; its spurious vector and the
  // (masked) 8259A's do not (SDM Vol. 3A, 11.8.5 and 11.9).
  if (v >= VEC_LAPIC_TIMER && v <= VEC_LAPIC_ERROR) lapic_eoi();
}
