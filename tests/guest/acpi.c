// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "acpi.h"

#include "arch.h"
#include "lib.h"
#include "paging.h"

enum {
  RSDP_V1_LEN = 20,  // the ACPI 1.0 checksum covers these bytes
  RSDP_LENGTH = 20,
  RSDP_XSDT = 24,
  RSDP_V2_LEN = 36,
  HDR_LENGTH = 4,
  HDR_SIZE = 36,
  FADT_X_DSDT = 140,
  FADT_SLEEP_CONTROL = 244,  // Generic Address Structure (5.2.3.2), 12 bytes
  FADT_MIN_LEN = FADT_SLEEP_CONTROL + 12,
  MADT_ENTRIES = 44,
  MADT_LAPIC = 0,
  MADT_X2APIC = 9,
  MAX_TABLE_LEN = 0x20000,
  AML_PACKAGE = 0x12,
  AML_BYTE_PREFIX = 0x0a,
  AML_ZERO = 0x00,
  AML_ONE = 0x01,
};

static const uint8_t* at(uint64_t addr) { return (const uint8_t*)phys_ptr(addr); }
static uint32_t le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t* p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static bool sums_to_zero(const uint8_t* p, uint32_t len) {
  uint8_t sum = 0;
  for (uint32_t i = 0; i < len; i++) sum = (uint8_t)(sum + p[i]);
  return sum == 0;
}

uint32_t acpi_table_length(const uint8_t* table) { return le32(table + HDR_LENGTH); }

static bool rsdp_valid(uint64_t addr) {
  if (!paging_map_range(addr, RSDP_V2_LEN)) return false;
  const uint8_t* p = at(addr);
  if (memcmp(p, "RSD PTR ", 8) != 0 || !sums_to_zero(p, RSDP_V1_LEN)) return false;
  uint32_t len = le32(p + RSDP_LENGTH);
  return len >= RSDP_V2_LEN && len <= 4096 && paging_map_range(addr, len) && sums_to_zero(p, len);
}

static uint64_t find_rsdp(const struct guest* g, const char** from) {
  if (g->boot.rsdp_addr && rsdp_valid(g->boot.rsdp_addr)) {
    *from = g->boot.path == BOOT_PATH_PVH ? "start_info" : "boot_params";
    return g->boot.rsdp_addr;
  }
  *from = "scan";
  for (uint64_t a = 0xE0000; a < 0x100000; a += 16)
    if (rsdp_valid(a)) return a;
  return 0;
}

// A table header with `sig`, a sane length and a zero checksum; NULL otherwise.
static const uint8_t* table(uint64_t addr, const char* sig, struct sink* detail) {
  if (addr == 0 || !paging_map_range(addr, HDR_SIZE)) {
    add_failure(detail, "%s at 0x%lx cannot be mapped", sig, addr);
    return NULL;
  }
  const uint8_t* p = at(addr);
  uint32_t len = le32(p + HDR_LENGTH);
  if (memcmp(p, sig, 4) != 0 || len < HDR_SIZE || len > MAX_TABLE_LEN || !paging_map_range(addr, len)) {
    add_failure(detail, "no valid %s header at 0x%lx", sig, addr);
    return NULL;
  }
  if (!sums_to_zero(p, len)) {
    add_failure(detail, "%s checksum is wrong", sig);
    return NULL;
  }
  return p;
}

bool acpi_find(const struct guest* g, struct acpi_tables* t, struct sink* detail) {
  *t = (struct acpi_tables){0};
  t->rsdp = find_rsdp(g, &t->rsdp_from);
  if (!t->rsdp) {
    add_failure(detail, "no RSDP (boot structure gave 0x%lx, none in 0xE0000-0xFFFFF)", g->boot.rsdp_addr);
    return false;
  }
  t->xsdt = table(le64(at(t->rsdp) + RSDP_XSDT), "XSDT", detail);
  if (!t->xsdt) return false;
  uint32_t xsdt_len = acpi_table_length(t->xsdt);
  for (uint32_t off = HDR_SIZE; off + 8 <= xsdt_len; off += 8) {
    uint64_t addr = le64(t->xsdt + off);
    if (!paging_map_range(addr, 4)) continue;
    if (memcmp(at(addr), "FACP", 4) == 0) t->fadt = table(addr, "FACP", detail);
    if (memcmp(at(addr), "APIC", 4) == 0) t->madt = table(addr, "APIC", detail);
  }
  if (!t->fadt || !t->madt || acpi_table_length(t->fadt) < FADT_MIN_LEN) {
    add_failure(detail, "the XSDT lists no valid FADT (of at least %u bytes) and MADT", FADT_MIN_LEN);
    return false;
  }
  t->dsdt = table(le64(t->fadt + FADT_X_DSDT), "DSDT", detail);
  return t->dsdt != NULL;
}

unsigned acpi_madt_cpus(const uint8_t* madt) {
  unsigned cpus = 0;
  uint32_t len = acpi_table_length(madt);
  for (uint32_t off = MADT_ENTRIES; off + 2 <= len;) {
    uint8_t type = madt[off], entry_len = madt[off + 1];
    if (entry_len < 2 || off + entry_len > len) break;
    // The Enabled flag (bit 0) is at offset 4 (LAPIC, 5.2.12.2) or 8 (x2APIC, 5.2.12.12).
    if (type == MADT_LAPIC && entry_len >= 8 && (le32(madt + off + 4) & 1)) cpus++;
    if (type == MADT_X2APIC && entry_len >= 16 && (le32(madt + off + 8) & 1)) cpus++;
    off += entry_len;
  }
  return cpus;
}

// Name (_S5_, Package () { SLP_TYPa, SLP_TYPb, ... }): after the name comes
// PackageOp, a one-byte PkgLength (the package is short), NumElements and
// the first element as ZeroOp, OneOp or BytePrefix n.
uint8_t acpi_s5_sleep_type(const uint8_t* dsdt, uint8_t fallback) {
  uint32_t len = acpi_table_length(dsdt);
  for (uint32_t i = HDR_SIZE; i + 8 <= len; i++) {
    if (memcmp(dsdt + i, "_S5_", 4) != 0 || dsdt[i + 4] != AML_PACKAGE || (dsdt[i + 5] & 0xc0) != 0) continue;
    const uint8_t* first = dsdt + i + 7;
    if (first[0] == AML_ZERO) return 0;
    if (first[0] == AML_ONE) return 1;
    if (first[0] == AML_BYTE_PREFIX) return first[1] & 7;
  }
  return fallback;
}

uint16_t acpi_sleep_control_port(const uint8_t* fadt) {
  const uint8_t* gas = fadt + FADT_SLEEP_CONTROL;
  uint64_t address = le64(gas + 4);
  bool io_byte = gas[0] == 1 && gas[1] == 8 && address != 0 && address <= 0xffff;
  return io_byte ? (uint16_t)address : 0;
}
