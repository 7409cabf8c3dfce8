// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// e820: the memory map is well formed, agrees with the CMOS memory-size
// registers (QEMU/SeaBIOS convention) and with vmmkit.mem_mib=, and RAM is
// really there: the top word of every RAM region is written and read back.
#include "arch.h"
#include "checks.h"
#include "cmdline.h"
#include "cmos.h"
#include "paging.h"

#define LEGACY_HOLE_START 0xa0000ull  // VGA memory and option/BIOS ROMs
#define LEGACY_HOLE_END MiB(1)
// The 32-bit MMIO hole this project's VMM keeps below 4 GiB.
#define MMIO_HOLE_START 0xc0000000ull
#define MMIO_HOLE_END GiB(4)
#define CMOS_HIGH_UNIT KiB(64)

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end) {
  return a < b_end && b < a_end;
}
static uint64_t end_of(const struct e820_entry* e) { return e->addr + e->size; }

// Insertion sort of a copy (at most 128 entries, usually under 10), without
// empty entries, which are reported instead.
static unsigned sorted_copy(const struct boot_info* bi, struct e820_entry* out, bool* was_sorted,
                            struct sink* d) {
  unsigned n = 0;
  *was_sorted = true;
  for (unsigned i = 0; i < bi->e820_count; i++) {
    struct e820_entry e = bi->e820[i];
    if (e.size == 0) {
      add_failure(d, "entry %u (at %#lx, type %u) is empty", i, e.addr, e.type);
      continue;
    }
    unsigned j = n++;
    for (; j > 0 && out[j - 1].addr > e.addr; j--) out[j] = out[j - 1];
    if (j != n - 1) *was_sorted = false;
    out[j] = e;
  }
  return n;
}

static bool ram_covers(const struct e820_entry* map, unsigned n, uint64_t addr) {
  for (unsigned i = 0; i < n; i++) {
    if (map[i].type == E820_RAM && map[i].addr <= addr && addr < end_of(&map[i])) return true;
  }
  return false;
}

static void check_layout(const struct e820_entry* map, unsigned n, struct sink* d) {
  for (unsigned i = 0; i < n; i++) {
    const struct e820_entry* e = &map[i];
    if (end_of(e) < e->addr) add_failure(d, "entry at %#lx has size %#lx, past 2^64", e->addr, e->size);
    if (i + 1 < n && end_of(e) > map[i + 1].addr) {
      add_failure(d, "entries at %#lx and %#lx overlap", e->addr, map[i + 1].addr);
    }
    if (e->type != E820_RAM) continue;
    if (overlaps(e->addr, end_of(e), LEGACY_HOLE_START, LEGACY_HOLE_END)) {
      add_failure(d, "RAM %#lx-%#lx reaches into 0xa0000-0xfffff", e->addr, end_of(e) - 1);
    }
    if (overlaps(e->addr, end_of(e), MMIO_HOLE_START, MMIO_HOLE_END)) {
      add_failure(d, "RAM %#lx-%#lx reaches into the MMIO hole 0xc0000000-0xffffffff", e->addr,
                  end_of(e) - 1);
    }
  }
  if (!ram_covers(map, n, 0)) add_failure(d, "no RAM at address 0");
  if (!ram_covers(map, n, MiB(1))) add_failure(d, "no RAM at 1 MiB");
}

// CMOS 0x34/0x35: RAM from 16 MiB to the end of RAM below 4 GiB in 64 KiB
// units (0 when that end is at or below 16 MiB: then 0x30/0x31 gives KiB
// above 1 MiB, capped at 0xffff). 0x5b-0x5d: RAM above 4 GiB, 64 KiB units.
static void check_cmos(uint64_t low_end, uint64_t reserved_tail, uint64_t high_ram, struct sink* d,
                       struct sink* info) {
  uint64_t above_16m = cmos_read(CMOS_MEM_ABOVE_16M_LO) | (uint64_t)cmos_read(CMOS_MEM_ABOVE_16M_HI) << 8;
  uint64_t ext_kib = cmos_read(CMOS_EXT_MEM_KIB_LO) | (uint64_t)cmos_read(CMOS_EXT_MEM_KIB_HI) << 8;
  uint64_t above_4g = cmos_read(CMOS_MEM_ABOVE_4G_LO) | (uint64_t)cmos_read(CMOS_MEM_ABOVE_4G_MID) << 8 |
                      (uint64_t)cmos_read(CMOS_MEM_ABOVE_4G_HI) << 16;
  if (above_16m) {
    uint64_t cmos_end = MiB(16) + above_16m * CMOS_HIGH_UNIT;
    if (cmos_end != low_end)
      add_failure(d, "RAM below 4 GiB ends at %#lx, CMOS 0x34/0x35 say %#lx", low_end, cmos_end);
  } else if (ext_kib < 0xffff) {
    uint64_t cmos_end = MiB(1) + KiB(ext_kib);
    if (cmos_end != low_end)
      add_failure(d, "RAM below 4 GiB ends at %#lx, CMOS 0x30/0x31 say %#lx", low_end, cmos_end);
  } else {
    add_failure(d, "CMOS 0x34/0x35 are 0 but 0x30/0x31 are capped (0xffff)");
  }
  if (above_4g * CMOS_HIGH_UNIT != high_ram) {
    add_failure(d, "RAM above 4 GiB is %#lx, CMOS 0x5b-0x5d say %#lx", high_ram, above_4g * CMOS_HIGH_UNIT);
  }
  sink_printf(info, "; CMOS agrees: RAM below 4 GiB ends at %#lx", low_end);
  if (reserved_tail) sink_printf(info, " (its last %lu KiB reserved by firmware)", reserved_tail >> 10);
  sink_printf(info, ", %lu MiB above 4 GiB", high_ram >> 20);
}

// Writes and reads back the last 8 bytes of each RAM region, restoring
// them (interrupts are off; nothing else runs).
static unsigned touch_tops(const struct e820_entry* map, unsigned n, struct sink* d) {
  unsigned touched = 0;
  for (unsigned i = 0; i < n; i++) {
    if (map[i].type != E820_RAM || map[i].size < 8) continue;
    uint64_t addr = (end_of(&map[i]) - 8) & ~7ull;
    if (!paging_map_range(addr, 8)) {
      add_failure(d, "cannot map %#lx to touch it", addr);
      continue;
    }
    volatile uint64_t* p = phys_ptr(addr);
    uint64_t saved = *p, pattern = 0x766d6d6b69742d00ull ^ addr;
    *p = pattern;
    uint64_t back = *p;
    *p = saved;
    if (back != pattern) add_failure(d, "RAM at %#lx read back %#lx after writing %#lx", addr, back, pattern);
    touched++;
  }
  return touched;
}

struct ram_totals {
  uint64_t total;          // all RAM
  uint64_t low_end;        // end of the highest RAM below 4 GiB
  uint64_t reserved_tail;  // reserved entries right after it
  uint64_t high;           // RAM above 4 GiB
};

static struct ram_totals count_ram(const struct e820_entry* map, unsigned n) {
  struct ram_totals t = {0, 0, 0, 0};
  unsigned low_last = 0;
  for (unsigned i = 0; i < n; i++) {
    if (map[i].type != E820_RAM) continue;
    t.total += map[i].size;
    if (end_of(&map[i]) <= GiB(4)) {
      t.low_end = end_of(&map[i]);
      low_last = i;
    }
    if (map[i].addr >= GiB(4)) t.high += map[i].size;
  }
  // Firmware (SeaBIOS) keeps its tables in reserved entries right after low
  // RAM, and the CMOS still counts that memory. A VMM has no such entries.
  for (unsigned i = low_last + 1;
       t.low_end && i < n && map[i].type != E820_RAM && map[i].addr == t.low_end + t.reserved_tail &&
       end_of(&map[i]) <= MMIO_HOLE_START;
       i++) {
    t.reserved_tail += map[i].size;
  }
  return t;
}

bool check_e820(const struct guest* g, struct sink* detail) {
  const struct boot_info* bi = &g->boot;
  if (bi->e820_count == 0) {
    sink_printf(detail, "no memory map: %s", bi->error ? bi->error : "0 entries");
    return false;
  }
  static struct e820_entry map[E820_MAX];
  bool was_sorted;
  unsigned n = sorted_copy(bi, map, &was_sorted, detail);
  check_layout(map, n, detail);
  struct ram_totals ram = count_ram(map, n);
  char buf[256];
  struct sink info;
  sink_init(&info, buf, sizeof(buf), NULL);
  check_cmos(ram.low_end + ram.reserved_tail, ram.reserved_tail, ram.high, detail, &info);
  uint64_t mem_mib = cmdline_u64(bi, "vmmkit.mem_mib", 0);
  if (mem_mib) {
    uint64_t want = MiB(mem_mib), diff = ram.total > want ? ram.total - want : want - ram.total;
    if (diff > MiB(1))
      add_failure(detail, "RAM totals %#lx, vmmkit.mem_mib=%lu wants %#lx", ram.total, mem_mib, want);
    sink_printf(&info, "; within 1 MiB of vmmkit.mem_mib=%lu", mem_mib);
  }
  unsigned touched = touch_tops(map, n, detail);
  if (detail->len) return false;
  sink_printf(detail,
              "%u entries (%s), RAM %lu MiB %lu KiB%s; top word of %u RAM regions written and read back", n,
              was_sorted ? "sorted" : "sorted here", ram.total >> 20, (ram.total >> 10) & 1023, buf, touched);
  return true;
}
