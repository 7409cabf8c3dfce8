// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// rtc: the CMOS clock reads a plausible date; with vmmkit.now=UNIX_SECONDS
// it is within a minute of the host's time (the RTC keeps UTC).
#include "checks.h"
#include "cmdline.h"
#include "cmos.h"

#define MIN_YEAR 2024
#define MAX_SKEW_S 60

static bool in_range(unsigned v, unsigned lo, unsigned hi) { return v >= lo && v <= hi; }

bool check_rtc(const struct guest* g, struct sink* detail) {
  struct rtc_time t;
  if (!rtc_read(&t, detail)) return false;
  if (!(cmos_read(RTC_STATUS_D) & RTC_STATUS_D_VALID))
    add_failure(detail, "status D says the time is not valid");
  if (!in_range(t.month, 1, 12) || !in_range(t.day, 1, 31) || t.hour > 23 || t.minute > 59 || t.second > 59) {
    add_failure(detail, "a field is out of range");
  }
  if (t.year < MIN_YEAR) add_failure(detail, "year %u is before %u", t.year, MIN_YEAR);
  int64_t now = rtc_to_unix(&t);
  uint64_t host = cmdline_u64(&g->boot, "vmmkit.now", 0);
  int64_t skew = host ? now - (int64_t)host : 0;
  if (skew > MAX_SKEW_S || skew < -MAX_SKEW_S)
    add_failure(detail, "%ld s away from vmmkit.now=%lu", skew, host);
  bool pass = detail->len == 0;
  sink_printf(detail, pass ? "%04u-%02u-%02uT%02u:%02u:%02uZ" : " (read %04u-%02u-%02uT%02u:%02u:%02uZ)",
              t.year, t.month, t.day, t.hour, t.minute, t.second);
  if (pass && host) sink_printf(detail, ", %ld s from vmmkit.now", skew);
  return pass;
}
