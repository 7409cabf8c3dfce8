// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// cmdline: the command line is NUL-terminated within the limit the boot
// structure sets and printable. pio: port-0x80 writes for exit-cost
// measurements. idle: a guest that stays up for a while, mostly in HLT.
#include "arch.h"
#include "checks.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"

static bool contains(const char* s, size_t n, const char* word, size_t len) {
  for (size_t i = 0; len && i + len <= n; i++) {
    if (memcmp(s + i, word, len) == 0) return true;
  }
  return false;
}

bool check_cmdline(const struct guest* g, struct sink* detail) {
  const struct boot_info* bi = &g->boot;
  if (bi->cmdline_addr == 0) {
    sink_printf(detail, "no command line was given");
    return false;
  }
  if (!bi->cmdline_terminated) {
    add_failure(detail, "no NUL within %zu bytes (%s)", bi->cmdline_limit, bi->cmdline_limit_from);
  }
  for (size_t i = 0; i < bi->cmdline_len; i++) {
    unsigned char c = (unsigned char)bi->cmdline[i];
    if (c < 0x20 || c > 0x7e) {
      add_failure(detail, "byte %zu is %#x, not printable ASCII", i, c);
      break;
    }
  }
  const char* expect;
  size_t expect_len;
  bool has_expect = cmdline_value(bi, "vmmkit.expect", &expect, &expect_len);
  if (has_expect && !contains(bi->cmdline, bi->cmdline_len, expect, expect_len)) {
    add_failure(detail, "vmmkit.expect=%.*s is not in the command line", (int)expect_len, expect);
  }
  if (detail->len) return false;
  // The text itself was printed at start-up ("command line (N bytes)"),
  // the same way whichever entry ran.
  sink_printf(detail, "%zu bytes at %#lx via %s, NUL within %zu (%s)%s", bi->cmdline_len, bi->cmdline_addr,
              boot_path_name(bi->path), bi->cmdline_limit, bi->cmdline_limit_from,
              has_expect ? ", vmmkit.expect found" : "");
  return true;
}

bool check_pio(const struct guest* g, struct sink* detail) {
  uint64_t count = cmdline_u64(&g->boot, "vmmkit.pio_count", 1000);
  uint64_t start = clock_us();
  for (uint64_t i = 0; i < count; i++) outb(0x80, (uint8_t)i);
  uint64_t us = clock_us() - start;
  uint64_t ns_each = count ? us * 1000 / count : 0;
  sink_printf(detail, "%lu writes to port 0x80 in %lu us (%lu.%03lu us each)", count, us, ns_each / 1000,
              ns_each % 1000);
  return true;
}

bool check_idle(const struct guest* g, struct sink* detail) {
  uint64_t ms = cmdline_u64(&g->boot, "vmmkit.idle_ms", 1000);
  uint64_t start = clock_us();
  sleep_us(ms * 1000);
  uint64_t slept = (clock_us() - start) / 1000;
  if (slept + 1 < ms) {
    sink_printf(detail, "woke after %lu ms of %lu", slept, ms);
    return false;
  }
  sink_printf(detail, "slept %lu ms in HLT (asked %lu)", slept, ms);
  return true;
}
