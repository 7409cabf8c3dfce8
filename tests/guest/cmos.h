// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// CMOS RAM and the MC146818 real-time clock behind ports 0x70/0x71.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib.h"

enum cmos_reg {
  RTC_SECONDS = 0x00,
  RTC_MINUTES = 0x02,
  RTC_HOURS = 0x04,
  RTC_WEEKDAY = 0x06,
  RTC_DAY = 0x07,
  RTC_MONTH = 0x08,
  RTC_YEAR = 0x09,
  RTC_STATUS_A = 0x0a,  // bit 7: update in progress
  RTC_STATUS_B = 0x0b,  // bit 2: binary (else BCD), bit 1: 24-hour
  RTC_STATUS_D = 0x0d,  // bit 7: valid RAM and time
  // Memory sizes, as QEMU and SeaBIOS use them.
  CMOS_EXT_MEM_KIB_LO = 0x30,  // KiB above 1 MiB, capped at 0xffff
  CMOS_EXT_MEM_KIB_HI = 0x31,
  RTC_CENTURY = 0x32,
  CMOS_MEM_ABOVE_16M_LO = 0x34,  // 64 KiB units between 16 MiB and the end of low RAM
  CMOS_MEM_ABOVE_16M_HI = 0x35,
  CMOS_MEM_ABOVE_4G_LO = 0x5b,  // 64 KiB units above 4 GiB, 3 bytes
  CMOS_MEM_ABOVE_4G_MID = 0x5c,
  CMOS_MEM_ABOVE_4G_HI = 0x5d,
};

#define RTC_STATUS_D_VALID 0x80

struct rtc_time {
  unsigned year, month, day, hour, minute, second;
};

uint8_t cmos_read(enum cmos_reg reg);
// Reads the clock between updates (status A UIP clear, two equal reads)
// and converts BCD and 12-hour values. False with a reason in *why.
bool rtc_read(struct rtc_time* t, struct sink* why);
// Seconds since 1970-01-01 00:00:00, the RTC taken as UTC.
int64_t rtc_to_unix(const struct rtc_time* t);
