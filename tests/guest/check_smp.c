// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// smp: every processor of the MP table starts (INIT-SIPI-SIPI, SDM Vol. 3A
// 9.4.4.1) and reports the APIC id its LAPIC gives it.
#include "arch.h"
#include "checks.h"
#include "clock.h"
#include "lapic.h"
#include "paging.h"

#define AP_STACK_SIZE 1024
#define INIT_DELAY_US 10000  // 10 ms after INIT (9.4.4.1)
#define SIPI_DELAY_US 200    // 200 us after each STARTUP IPI
#define AP_TIMEOUT_MS 300    // per AP, after the second STARTUP IPI
#define AP_TIMEOUT_US (AP_TIMEOUT_MS * 1000)
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define REPORT_NONE 0xffffffffu

extern const char trampoline_start[], trampoline_end[];  // trampoline.S
extern char tramp_cr3[], tramp_stack[], tramp_entry[], tramp_arg[];

// Not cleared at entry (a stack needs no zeroes; clearing costs time).
static uint8_t ap_stacks[MP_MAX_CPUS][AP_STACK_SIZE] __attribute__((aligned(16), section(".bss.noclear")));
static volatile uint32_t reported[MP_MAX_CPUS];  // APIC id each AP read, by MP index

// Where the trampoline leaves each AP: long mode, RSP = its stack, RDI =
// its MP index. It reports and halts for good (until the next INIT).
__attribute__((noreturn)) void ap_main(uint64_t index) {
  if (index < MP_MAX_CPUS) __atomic_store_n(&reported[index], lapic_id(), __ATOMIC_RELEASE);
  for (;;) __asm__ volatile("cli; hlt");
}

static bool overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len) {
  return a < b + b_len && b < a + a_len;
}

// A 4 KiB page below 1 MiB (the STARTUP IPI vector is a page number) that
// the memory map calls RAM and that holds nothing we were given. 0x8000
// first: the VMM's layout leaves it free.
static uint64_t pick_trampoline_page(const struct guest* g) {
  const struct boot_info* bi = &g->boot;
  for (uint64_t i = 0; i < 0xa0; i++) {
    uint64_t page = i == 0 ? 0x8000 : i * 0x1000;
    if (page < 0x1000) continue;  // real-mode IVT and BIOS data area
    bool ram = false;
    for (unsigned e = 0; e < bi->e820_count; e++) {
      const struct e820_entry* r = &bi->e820[e];
      if (r->type == E820_RAM && r->addr <= page && page + 0x1000 <= r->addr + r->size) ram = true;
    }
    if (!ram || overlaps(page, 0x1000, bi->info_addr, 0x1000) ||
        overlaps(page, 0x1000, bi->cmdline_addr, bi->cmdline_len + 1) ||
        overlaps(page, 0x1000, g->mp.pointer_addr, 16) ||
        overlaps(page, 0x1000, g->mp.table_addr, g->mp.table_len)) {
      continue;
    }
    return page;
  }
  return 0;
}

static bool ap_reported(void* arg) {
  return __atomic_load_n(&reported[(uintptr_t)arg], __ATOMIC_ACQUIRE) != REPORT_NONE;
}

static void set_field(uint64_t page, const char* field, uint64_t value, unsigned size) {
  memcpy(phys_ptr(page + (uint64_t)(field - trampoline_start)), &value, size);
}

// INIT, 10 ms, STARTUP, 200 us, a second STARTUP if it has not arrived.
static const char* start_ap(uint64_t page, unsigned index, uint8_t apic_id) {
  set_field(page, tramp_stack, (uint64_t)(uintptr_t)(ap_stacks[index] + AP_STACK_SIZE - 8), 8);
  set_field(page, tramp_arg, index, 8);
  lapic_write(LAPIC_ESR, 0);
  if (!lapic_send_ipi(apic_id, ICR_INIT | ICR_LEVEL_ASSERT)) return "the INIT IPI stayed pending in the ICR";
  sleep_us(INIT_DELAY_US);
  for (int sipi = 0; sipi < 2; sipi++) {
    if (!lapic_send_ipi(apic_id, ICR_STARTUP | (uint32_t)(page >> 12)))
      return "a STARTUP IPI stayed pending in the ICR";
    if (wait_until(ap_reported, (void*)(uintptr_t)index, SIPI_DELAY_US)) return NULL;
  }
  if (wait_until(ap_reported, (void*)(uintptr_t)index, AP_TIMEOUT_US)) return NULL;
  return "it did not report within " STRINGIFY(AP_TIMEOUT_MS) " ms of the second STARTUP IPI";
}

static uint64_t install_trampoline(const struct guest* g) {
  uint64_t page = pick_trampoline_page(g);
  size_t size = (size_t)(trampoline_end - trampoline_start);
  if (!page || size > 0x1000) return 0;
  memcpy(phys_ptr(page), trampoline_start, size);
  set_field(page, tramp_cr3, paging_root(), 4);
  set_field(page, tramp_entry, (uint64_t)(uintptr_t)ap_main, 8);
  return page;
}

// Starts every AP of the table, one at a time (they share the trampoline).
// Returns the trampoline page, 0 if none was needed or found.
static uint64_t start_aps(const struct guest* g, uint8_t self, struct sink* d) {
  const struct mp_info* mp = &g->mp;
  uint64_t page = 0;
  for (unsigned i = 0; i < mp->ncpus; i++) {
    if (mp->is_bsp[i] || mp->apic_ids[i] == self) {  // never INIT ourselves
      reported[i] = self;
      if (mp->apic_ids[i] != self)
        add_failure(d, "the MP table's BSP has APIC id %u, this CPU %u", mp->apic_ids[i], self);
      if (!mp->is_bsp[i]) add_failure(d, "the MP table does not flag APIC id %u as the BSP", self);
      continue;
    }
    if (!page && !(page = install_trampoline(g))) {
      add_failure(d, "no free RAM page below 1 MiB for the AP trampoline");
      return 0;
    }
    const char* why = start_ap(page, i, mp->apic_ids[i]);
    if (why) {
      add_failure(d, "CPU %u (APIC id %u) did not start: %s", i, mp->apic_ids[i], why);
    } else if (reported[i] != mp->apic_ids[i]) {
      add_failure(d, "CPU %u has APIC id %u, the MP table says %u", i, reported[i], mp->apic_ids[i]);
    }
  }
  return page;
}

bool check_smp(const struct guest* g, struct sink* detail) {
  const struct mp_info* mp = &g->mp;
  if (!mp->found) {
    sink_printf(detail, "%s", mp->error);
    return false;
  }
  if (mp->entry_count != mp->entries_found) {
    add_failure(detail, "the MP table header counts %u entries, its length holds %u", mp->entry_count,
                mp->entries_found);
  }
  for (unsigned i = 0; i < mp->ncpus; i++) reported[i] = REPORT_NONE;
  uint64_t page = start_aps(g, lapic_id(), detail);
  for (unsigned i = 0; i < mp->ncpus; i++) {
    for (unsigned j = i + 1; j < mp->ncpus; j++) {
      if (reported[i] != REPORT_NONE && reported[i] == reported[j])
        add_failure(detail, "APIC id %u twice", reported[i]);
    }
  }
  bool pass = detail->len == 0;
  bool one = mp->ncpus == 1;
  if (pass) {
    sink_printf(detail, "%u cpu%s, apic id%s ", mp->ncpus, one ? "" : "s", one ? "" : "s");
  } else {
    sink_printf(detail, " (apic ids ");
  }
  for (unsigned i = 0; i < mp->ncpus; i++) {
    if (reported[i] == REPORT_NONE) {
      sink_printf(detail, "%s-", i ? "," : "");
    } else {
      sink_printf(detail, "%s%u", i ? "," : "", reported[i]);
    }
  }
  if (!pass) sink_putc(detail, ')');
  if (pass && page) sink_printf(detail, " (trampoline at %#lx)", page);
  return pass;
}
