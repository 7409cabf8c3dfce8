// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// x86-64 instructions the guest needs, as inline functions. Only ones the
// software-emulated /dev/kvm on the CI machines executes (docs: TESTING.md):
// no SSE/x87 state, no int3, no popcnt, no cmpxchg16b.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value) {
  __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port) {
  uint8_t value;
  __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

static inline uint32_t mmio_read32(uint64_t addr) { return *(volatile uint32_t*)addr; }
static inline void mmio_write32(uint64_t addr, uint32_t value) { *(volatile uint32_t*)addr = value; }

static inline uint64_t rdmsr(uint32_t msr) {
  uint32_t lo, hi;
  __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value) {
  __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)) : "memory");
}

struct cpuid_regs {
  uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf) {
  struct cpuid_regs r;
  __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
  return r;
}

static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_cr3(void) {
  uint64_t value;
  __asm__ volatile("mov %%cr3, %0" : "=r"(value));
  return value;
}

static inline void write_cr3(uint64_t value) { __asm__ volatile("mov %0, %%cr3" : : "r"(value) : "memory"); }

static inline uint64_t read_cr2(void) {
  uint64_t value;
  __asm__ volatile("mov %%cr2, %0" : "=r"(value));
  return value;
}

static inline void cli(void) { __asm__ volatile("cli" : : : "memory"); }
static inline void cpu_pause(void) { __asm__ volatile("pause" : : : "memory"); }

// "sti; hlt": the interrupt shadow of STI (SDM Vol. 2B, STI) makes the pair
// atomic, so an interrupt that is already pending wakes the HLT instead of
// being taken just before it and lost.
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" : : : "memory"); }

static inline void barrier(void) { __asm__ volatile("" : : : "memory"); }

// Physical addresses are identity-mapped (paging.c), so a physical address
// is also a pointer. The empty asm hides the constant from GCC, which would
// otherwise warn about dereferencing small fixed addresses (-Warray-bounds).
static inline void* phys_ptr(uint64_t addr) {
  __asm__("" : "+r"(addr));
  return (void*)(uintptr_t)addr;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)
