// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "cmos.h"

#include "arch.h"

enum { CMOS_INDEX = 0x70, CMOS_DATA = 0x71 };
#define STATUS_A_UIP 0x80
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOUR_PM 0x80
// UIP stays set for under 2 ms of each second; a poll is two VM exits.
#define UIP_POLL_LIMIT 2000
#define READ_ATTEMPTS 5

uint8_t cmos_read(enum cmos_reg reg) {
  outb(CMOS_INDEX, (uint8_t)reg);  // bit 7 clear: NMI stays enabled
  return inb(CMOS_DATA);
}

static bool wait_no_update(void) {
  for (unsigned i = 0; i < UIP_POLL_LIMIT; i++) {
    if (!(cmos_read(RTC_STATUS_A) & STATUS_A_UIP)) return true;
  }
  return false;
}

struct raw_time {
  uint8_t sec, min, hour, day, month, year, century;
};

static void read_raw(struct raw_time* r) {
  r->sec = cmos_read(RTC_SECONDS);
  r->min = cmos_read(RTC_MINUTES);
  r->hour = cmos_read(RTC_HOURS);
  r->day = cmos_read(RTC_DAY);
  r->month = cmos_read(RTC_MONTH);
  r->year = cmos_read(RTC_YEAR);
  r->century = cmos_read(RTC_CENTURY);
}

static unsigned from_bcd(uint8_t v, bool binary) { return binary ? v : (v >> 4) * 10u + (v & 0xf); }

bool rtc_read(struct rtc_time* t, struct sink* why) {
  struct raw_time a, b;
  bool stable = false;
  for (int i = 0; i < READ_ATTEMPTS && !stable; i++) {
    if (!wait_no_update()) {
      sink_printf(why, "status A UIP never cleared");
      return false;
    }
    read_raw(&a);
    if (!wait_no_update()) continue;
    read_raw(&b);
    stable = memcmp(&a, &b, sizeof(a)) == 0;
  }
  if (!stable) {
    sink_printf(why, "no two equal reads in %d attempts", READ_ATTEMPTS);
    return false;
  }
  uint8_t status_b = cmos_read(RTC_STATUS_B);
  bool binary = status_b & STATUS_B_BINARY;
  bool pm = !(status_b & STATUS_B_24H) && (a.hour & HOUR_PM);
  unsigned hour = from_bcd(a.hour & (uint8_t)~HOUR_PM, binary);
  if (!(status_b & STATUS_B_24H)) hour = (hour % 12) + (pm ? 12 : 0);  // 12 AM is 0
  unsigned century = from_bcd(a.century, binary);
  if (century < 19 || century > 99) century = 20;  // register 0x32 unset
  *t = (struct rtc_time){
      .year = century * 100 + from_bcd(a.year, binary),
      .month = from_bcd(a.month, binary),
      .day = from_bcd(a.day, binary),
      .hour = hour,
      .minute = from_bcd(a.min, binary),
      .second = from_bcd(a.sec, binary),
  };
  return true;
}

// Days from 1970-01-01 for a proleptic Gregorian date (the usual
// era-based "days from civil" computation).
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t rtc_to_unix(const struct rtc_time* t) {
  return days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}
