// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "mptable.h"

#include "arch.h"
#include "lib.h"

#define MP_FLOATING_SIG 0x5f504d5fu  // "_MP_"
#define MP_TABLE_SIG 0x504d4350u     // "PCMP"
#define MP_TABLE_HEADER_LEN 44

enum mp_entry_type {
  MP_PROCESSOR = 0,
  MP_BUS = 1,
  MP_IOAPIC = 2,
  MP_IO_INTERRUPT = 3,
  MP_LOCAL_INTERRUPT = 4
};
enum { MP_CPU_ENABLED = 0x1, MP_CPU_BSP = 0x2, MP_IOAPIC_ENABLED = 0x1, MP_INT_TYPE_INT = 0 };
#define MP_BUS_NONE 0xffff

static const uint8_t* at(uint64_t addr) { return phys_ptr(addr); }
static uint16_t rd16(const uint8_t* p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t* p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }

static bool checksum_ok(const uint8_t* p, uint32_t len) {
  uint8_t sum = 0;
  for (uint32_t i = 0; i < len; i++) sum = (uint8_t)(sum + p[i]);
  return sum == 0;
}

// The floating pointer is 16-byte aligned; its length field counts
// 16-byte units (1 in spec 1.4).
static uint64_t find_pointer(uint64_t start, uint64_t len) {
  for (uint64_t a = start; a + 16 <= start + len; a += 16) {
    const uint8_t* p = at(a);
    // One aligned load per candidate: this loop runs 4096 times over the
    // BIOS area, and ring-0 instructions are slow on emulated KVM.
    if (*(const uint32_t*)p == MP_FLOATING_SIG && p[8] == 1 && checksum_ok(p, 16)) return a;
  }
  return 0;
}

static uint64_t search(void) {
  // BIOS data area (spec 4): 0x40e holds the EBDA segment, 0x413 the base
  // memory size in KiB; a VMM may leave both zero.
  uint64_t ebda = (uint64_t)rd16(at(0x40e)) << 4;
  uint64_t base_kib = rd16(at(0x413));
  uint64_t found = 0;
  if (ebda >= 0x400 && ebda < 0xa0000) found = find_pointer(ebda, 1024);
  if (!found) found = find_pointer((base_kib >= 512 && base_kib <= 640 ? base_kib : 640) * 1024 - 1024, 1024);
  if (!found) found = find_pointer(0xf0000, 0x10000);
  return found;
}

static void add_processor(struct mp_info* mp, const uint8_t* e) {
  if (!(e[3] & MP_CPU_ENABLED) || mp->ncpus >= MP_MAX_CPUS) return;
  mp->apic_ids[mp->ncpus] = e[1];
  mp->is_bsp[mp->ncpus] = e[3] & MP_CPU_BSP;
  mp->ncpus++;
}

static void add_io_interrupt(struct mp_info* mp, const uint8_t* e, unsigned isa_bus) {
  // Type INT from the ISA bus to our IOAPIC (or to "all IOAPICs", 0xff).
  if (e[1] != MP_INT_TYPE_INT || e[4] != isa_bus || e[5] >= ISA_IRQS) return;
  if (mp->ioapic_found && e[6] != mp->ioapic_id && e[6] != 0xff) return;
  mp->isa[e[5]] = (struct mp_isa_irq){.present = true, .pin = e[7], .flags = rd16(e + 2)};
}

// Entries are 20 bytes (processor) or 8 bytes (the rest); the table is
// walked twice because I/O interrupt entries refer to bus and IOAPIC ids.
static void read_entries(struct mp_info* mp, const uint8_t* table, uint32_t len) {
  unsigned isa_bus = MP_BUS_NONE;
  for (int pass = 0; pass < 2; pass++) {
    uint32_t off = MP_TABLE_HEADER_LEN;
    for (unsigned i = 0; off < len; i++) {
      const uint8_t* e = table + off;
      uint32_t size = e[0] == MP_PROCESSOR ? 20 : 8;
      if (e[0] > MP_LOCAL_INTERRUPT || off + size > len) {
        if (!mp->error) mp->error = "the MP table has an unknown or truncated entry";
        return;
      }
      if (pass == 0 && e[0] == MP_PROCESSOR) add_processor(mp, e);
      if (pass == 0 && e[0] == MP_BUS && memcmp(e + 2, "ISA", 3) == 0) isa_bus = e[1];
      if (pass == 0 && e[0] == MP_IOAPIC && (e[3] & MP_IOAPIC_ENABLED) && !mp->ioapic_found) {
        mp->ioapic_found = true;
        mp->ioapic_id = e[1];
        mp->ioapic_addr = rd32(e + 4);
      }
      if (pass == 1 && e[0] == MP_IO_INTERRUPT) add_io_interrupt(mp, e, isa_bus);
      off += size;
      mp->entries_found = i + 1;
    }
  }
}

void mp_parse(struct mp_info* mp) {
  memset(mp, 0, sizeof(*mp));
  uint64_t fp = search();
  if (!fp) {
    mp->error = "no MP floating pointer (\"_MP_\") in the EBDA, base memory top or 0xf0000-0xfffff";
    return;
  }
  mp->pointer_addr = fp;
  uint64_t table = rd32(at(fp + 4));
  if (table == 0) {
    mp->error = "the MP floating pointer names a default configuration, not a table";
    return;
  }
  const uint8_t* t = at(table);
  uint32_t len = rd16(t + 4);
  if (table >= GiB(4) || rd32(t) != MP_TABLE_SIG || len < MP_TABLE_HEADER_LEN || !checksum_ok(t, len)) {
    mp->error = "the MP configuration table (\"PCMP\") is missing or its checksum is wrong";
    return;
  }
  mp->table_addr = table;
  mp->table_len = len;
  mp->lapic_addr = rd32(t + 36);
  mp->entry_count = rd16(t + 34);
  read_entries(mp, t, len);
  if (mp->ncpus == 0 && !mp->error) mp->error = "the MP table lists no enabled processor";
  mp->found = mp->error == NULL;
}
