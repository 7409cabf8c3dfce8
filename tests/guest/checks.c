// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "checks.h"

#include "arch.h"
#include "console.h"
#include "interrupts.h"

// vmmkit.tests=default runs these: everything that needs no host action.
#define DEFAULT_CHECKS "serial,e820,cmdline,smp,timer,rtc,reset"

static const struct {
  const char* name;
  check_fn run;
} checks[] = {
    {"serial", check_serial},
    {"input", check_input},
    {"e820", check_e820},
    {"cmdline", check_cmdline},
    {"smp", check_smp},
    {"timer", check_timer},
    {"rtc", check_rtc},
    {"reset", check_reset},
    {"ctrlaltdel", check_ctrlaltdel},
    {"pio", check_pio},
    {"idle", check_idle},
    {"acpi", check_acpi},
    {"poweroff", check_poweroff},
    {"powerbutton", check_powerbutton},
    {"blk", check_blk},
    {"blk-ro", check_blk_ro},
    {"rng", check_rng},
    {"vconsole", check_vconsole},
    {"vsock", check_vsock},
    {"net", check_net},
    {"hostile", check_hostile},
};

// What the exception hook needs to finish the report.
static struct {
  const char* name;
  size_t name_len;
  unsigned passed, failed;
} run;

void list_checks(struct sink* out) {
  for (size_t i = 0; i < ARRAY_SIZE(checks); i++) sink_printf(out, "%s%s", i ? " " : "", checks[i].name);
}

void add_failure(struct sink* detail, const char* fmt, ...) {
  if (detail->len) sink_write(detail, "; ", 2);
  va_list ap;
  va_start(ap, fmt);
  sink_vprintf(detail, fmt, ap);
  va_end(ap);
}

static void summary(void) { say("%u passed, %u failed", run.passed, run.failed); }

// A CPU exception inside a check fails it and ends the run.
static void exception_in_check(const char* what) {
  say("%.*s FAIL %s", (int)run.name_len, run.name, what);
  run.failed++;
  summary();
}

static check_fn lookup(const char* name, size_t len) {
  for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
    if (str_eq(name, len, checks[i].name)) return checks[i].run;
  }
  return NULL;
}

static void run_one(const struct guest* g, const char* name, size_t len) {
  char buf[512];
  struct sink detail;
  sink_init(&detail, buf, sizeof(buf), NULL);
  check_fn fn = lookup(name, len);
  bool pass = false;
  if (fn) {
    run.name = name;
    run.name_len = len;
    set_fatal_hook(exception_in_check);
    pass = fn(g, &detail);
    set_fatal_hook(NULL);
  } else {
    sink_printf(&detail, "unknown check (known: ");
    list_checks(&detail);
    sink_putc(&detail, ')');
  }
  say("%.*s %s %s", (int)len, name, pass ? "PASS" : "FAIL", buf);
  if (pass) {
    run.passed++;
  } else {
    run.failed++;
  }
}

static void run_list(const struct guest* g, const char* list, size_t len) {
  size_t i = 0;
  while (i < len) {
    size_t start = i;
    while (i < len && list[i] != ',') i++;
    if (i > start && str_eq(list + start, i - start, "default")) {
      run_list(g, DEFAULT_CHECKS, sizeof(DEFAULT_CHECKS) - 1);
    } else if (i > start) {
      run_one(g, list + start, i - start);
    }
    i++;
  }
}

void run_checks(const struct guest* g, const char* list, size_t len) {
  run_list(g, list, len);
  summary();
}
