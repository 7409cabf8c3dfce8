// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The checks the command line selects (vmmkit.tests=a,b,c). Each returns
// PASS (true) or FAIL and writes one line of detail; the runner prints
// "vmmkit-guest: NAME PASS|FAIL detail" for it.
#pragma once

#include <stdbool.h>

#include "boot_info.h"
#include "lib.h"
#include "mptable.h"

struct guest {
  struct boot_info boot;
  struct mp_info mp;
};

typedef bool (*check_fn)(const struct guest* g, struct sink* detail);

bool check_serial(const struct guest* g, struct sink* detail);
bool check_input(const struct guest* g, struct sink* detail);
bool check_e820(const struct guest* g, struct sink* detail);
bool check_cmdline(const struct guest* g, struct sink* detail);
bool check_smp(const struct guest* g, struct sink* detail);
bool check_timer(const struct guest* g, struct sink* detail);
bool check_rtc(const struct guest* g, struct sink* detail);
bool check_reset(const struct guest* g, struct sink* detail);
bool check_ctrlaltdel(const struct guest* g, struct sink* detail);
bool check_pio(const struct guest* g, struct sink* detail);
bool check_idle(const struct guest* g, struct sink* detail);
bool check_acpi(const struct guest* g, struct sink* detail);
bool check_poweroff(const struct guest* g, struct sink* detail);

struct acpi_tables;
// Powers the machine off through S5; returns (with a failure in detail) only
// when the machine is still there 100 ms later. Shared by poweroff and serve.
void acpi_enter_s5(const struct acpi_tables* t, struct sink* detail);

// Service mode (vmmkit.serve on the command line): stays up, echoes each
// line typed on COM1 as "echo: <line>", and powers off through S5 when the
// ACPI power button is pressed. Returns only if that fails.
void serve(const struct guest* g);
bool check_powerbutton(const struct guest* g, struct sink* detail);
bool check_blk(const struct guest* g, struct sink* detail);
bool check_blk_ro(const struct guest* g, struct sink* detail);
bool check_rng(const struct guest* g, struct sink* detail);
bool check_vconsole(const struct guest* g, struct sink* detail);
bool check_vsock(const struct guest* g, struct sink* detail);
bool check_net(const struct guest* g, struct sink* detail);
bool check_hostile(const struct guest* g, struct sink* detail);

// Runs the comma-separated list, then prints "N passed, M failed".
void run_checks(const struct guest* g, const char* list, size_t len);
// Writes the names of all checks, space separated.
void list_checks(struct sink* out);

// Appends "; " and the text to a failure list kept in `detail`.
__attribute__((format(printf, 2, 3))) void add_failure(struct sink* detail, const char* fmt, ...);
