// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// guest_main: where all three entries (head.S) arrive, in long mode on our
// own GDT, page tables and stack, with interrupts off.
#include "arch.h"
#include "boot_info.h"
#include "checks.h"
#include "clock.h"
#include "cmdline.h"
#include "cmos.h"
#include "console.h"
#include "interrupts.h"
#include "lapic.h"
#include "paging.h"
#include "pic.h"
#include "reset.h"
#include "uart.h"

static struct guest guest;

static const char* e820_type_name(uint32_t type) {
  switch (type) {
    case E820_RAM:
      return "ram";
    case E820_RESERVED:
      return "reserved";
    case E820_ACPI:
      return "acpi";
    case E820_NVS:
      return "acpi nvs";
    case E820_UNUSABLE:
      return "unusable";
  }
  return "other";
}

static void print_cmdline(const struct boot_info* bi) {
  char buf[128];
  struct sink s;
  line_begin(&s, buf, sizeof(buf));
  sink_printf(&s, "command line (%zu bytes): \"%.*s\"", bi->cmdline_len, (int)bi->cmdline_len, bi->cmdline);
  line_end(&s);
}

static void demo_memory(const struct boot_info* bi) {
  say("memory map (%u entries):", bi->e820_count);
  uint64_t ram = 0;
  for (unsigned i = 0; i < bi->e820_count; i++) {
    const struct e820_entry* e = &bi->e820[i];
    say("  %#018lx-%#018lx %s", e->addr, e->addr + e->size - 1, e820_type_name(e->type));
    if (e->type == E820_RAM) ram += e->size;
  }
  say("ram: %lu MiB %lu KiB", ram >> 20, (ram >> 10) & 1023);
}

static void demo_cpus(const struct mp_info* mp) {
  if (!mp->found) {
    say("cpus: unknown (%s)", mp->error);
    return;
  }
  char buf[128];
  struct sink s;
  line_begin(&s, buf, sizeof(buf));
  sink_printf(&s, "cpus: %u in the MP table at %#lx, apic ids", mp->ncpus, mp->table_addr);
  for (unsigned i = 0; i < mp->ncpus; i++)
    sink_printf(&s, "%s %u%s", i ? "," : "", mp->apic_ids[i], mp->is_bsp[i] ? " (bsp)" : "");
  line_end(&s);
}

static void demo(const struct guest* g) {
  say("no vmmkit.tests= on the command line, so here is what this machine looks like");
  demo_memory(&g->boot);
  demo_cpus(&g->mp);
  char buf[96];
  struct sink why;
  sink_init(&why, buf, sizeof(buf), NULL);
  struct rtc_time t;
  if (rtc_read(&t, &why)) {
    say("rtc: %04u-%02u-%02uT%02u:%02u:%02uZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  } else {
    say("rtc: unreadable (%s)", buf);
  }
  struct sink line;
  char text[128];
  line_begin(&line, text, sizeof(text));
  sink_printf(&line, "checks: ");
  list_checks(&line);
  sink_printf(&line, "; run some with vmmkit.tests=a,b,c (or vmmkit.tests=default)");
  line_end(&line);
}

void guest_main(uint32_t path, uint64_t info) {
  uart_init();
  pic_disable();
  interrupts_init();
  paging_init();
  boot_info_parse(&guest.boot, (enum boot_path)path, info);
  const struct boot_info* bi = &guest.boot;
  say("vmmkit test guest, entered via %s (%s at %#lx)", boot_path_name(bi->path),
      bi->path == BOOT_PATH_PVH ? "hvm_start_info" : "boot_params", bi->info_addr);
  if (bi->error) say("problem with the boot information: %s", bi->error);
  print_cmdline(bi);
  lapic_init();
  clock_calibrate();
  if (clock_calibrated()) {
    say("clock: tsc %lu kHz, lapic timer %lu kHz (calibrated against PIT channel 0)", clock_tsc_khz(),
        clock_lapic_khz());
  } else {
    say("clock: calibration against PIT channel 0 failed; assuming tsc %lu kHz, lapic timer %lu kHz",
        clock_tsc_khz(), clock_lapic_khz());
  }
  mp_parse(&guest.mp);
  const char* tests;
  size_t len;
  if (cmdline_value(bi, "vmmkit.tests", &tests, &len)) {
    run_checks(&guest, tests, len);
  } else {
    demo(&guest);
    if (cmdline_has_word(bi, "vmmkit.serve")) serve(&guest);
    say("done; resetting the machine through the i8042 (a triple fault if that does not work)");
  }
  machine_reset();
}
