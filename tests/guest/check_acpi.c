// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// acpi: the tables vmm writes are found and sound (acpi.h), the MADT lists
// as many CPUs as the MP table, and the DSDT names the power button and its
// Generic Event Device (no virtio-mmio devices yet).
#include "acpi.h"
#include "lib.h"

static unsigned count_in(const uint8_t* p, uint32_t len, const uint8_t* bytes, size_t n) {
  unsigned count = 0;
  for (uint32_t i = 0; i + n <= len; i++)
    if (memcmp(p + i, bytes, n) == 0) count++;
  return count;
}

static unsigned count_text(const uint8_t* p, uint32_t len, const char* text) {
  return count_in(p, len, (const uint8_t*)text, strlen(text));
}

bool check_acpi(const struct guest* g, struct sink* detail) {
  struct acpi_tables t;
  if (!acpi_find(g, &t, detail)) return false;
  unsigned cpus = acpi_madt_cpus(t.madt);
  uint32_t len = acpi_table_length(t.dsdt);
  unsigned virtio = count_text(t.dsdt, len, "LNRO0005");
  unsigned ged = count_text(t.dsdt, len, "ACPI0013");
  // _HID of PWRB is EISAID ("PNP0C0C") (6.1.5): DWordPrefix and 0x0C0CD041
  // little-endian; a string _HID is counted too.
  static const uint8_t pnp0c0c[] = {0x0c, 0x41, 0xd0, 0x0c, 0x0c};
  unsigned pwrb = count_in(t.dsdt, len, pnp0c0c, sizeof(pnp0c0c)) + count_text(t.dsdt, len, "PNP0C0C");
  sink_printf(detail, "RSDP at 0x%lx (%s), %u cpus in the MADT, %u LNRO0005, %u ACPI0013, %u PNP0C0C", t.rsdp,
              t.rsdp_from, cpus, virtio, ged, pwrb);
  bool ok = true;
  if (g->mp.found && cpus != g->mp.ncpus) {
    add_failure(detail, "the MP table has %u cpus", g->mp.ncpus);
    ok = false;
  }
  if (ged != 1 || pwrb != 1) {
    add_failure(detail, "expected one ACPI0013 and one PNP0C0C");
    ok = false;
  }
  return ok;
}
