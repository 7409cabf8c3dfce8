// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/devices/cmos_rtc.hpp>

namespace vmm {
namespace {

using Reg = CmosRtc::Register;

constexpr time_t kLeapDayAfternoon = 1709214307;  // Thu 2024-02-29 13:45:07 UTC
constexpr time_t kLeapDayMidnight = 1709165100;   // Thu 2024-02-29 00:05:00 UTC
constexpr time_t kMillenniumNoon = 946641659;     // Fri 1999-12-31 12:00:59 UTC

class CmosRtcTest : public ::testing::Test {
 protected:
  uint8_t get(uint8_t index) {
    rtc.write(CmosRtc::kIndexOffset, index);
    return rtc.read(CmosRtc::kDataOffset);
  }
  uint8_t get(Reg r) { return get(static_cast<uint8_t>(r)); }
  void set(uint8_t index, uint8_t value) {
    rtc.write(CmosRtc::kIndexOffset, index);
    rtc.write(CmosRtc::kDataOffset, value);
  }
  void set(Reg r, uint8_t value) { set(static_cast<uint8_t>(r), value); }

  time_t now = kLeapDayAfternoon;
  CmosRtc rtc{[this] { return now; }};
};

TEST_F(CmosRtcTest, StatusRegistersAtStart) {
  EXPECT_EQ(get(Reg::kStatusA), 0x26);
  EXPECT_EQ(get(Reg::kStatusB), 0x02);  // 24-hour, BCD
  EXPECT_EQ(get(Reg::kStatusC), 0x00);
  EXPECT_EQ(get(Reg::kStatusD), 0x80);
}

TEST_F(CmosRtcTest, BcdTwentyFourHour) {
  EXPECT_EQ(get(Reg::kSeconds), 0x07);
  EXPECT_EQ(get(Reg::kMinutes), 0x45);
  EXPECT_EQ(get(Reg::kHours), 0x13);
  EXPECT_EQ(get(Reg::kDayOfWeek), 0x05);  // Thursday, Sunday = 1
  EXPECT_EQ(get(Reg::kDayOfMonth), 0x29);
  EXPECT_EQ(get(Reg::kMonth), 0x02);
  EXPECT_EQ(get(Reg::kYear), 0x24);
  EXPECT_EQ(get(Reg::kCentury), 0x20);
}

TEST_F(CmosRtcTest, BinaryTwentyFourHour) {
  set(Reg::kStatusB, CmosRtc::kStatusB24Hour | CmosRtc::kStatusBBinary);
  EXPECT_EQ(get(Reg::kSeconds), 7);
  EXPECT_EQ(get(Reg::kMinutes), 45);
  EXPECT_EQ(get(Reg::kHours), 13);
  EXPECT_EQ(get(Reg::kDayOfWeek), 5);
  EXPECT_EQ(get(Reg::kDayOfMonth), 29);
  EXPECT_EQ(get(Reg::kMonth), 2);
  EXPECT_EQ(get(Reg::kYear), 24);
  EXPECT_EQ(get(Reg::kCentury), 20);
}

TEST_F(CmosRtcTest, TwelveHourMode) {
  set(Reg::kStatusB, 0x00);           // BCD, 12-hour
  EXPECT_EQ(get(Reg::kHours), 0x81);  // 1 PM
  now = kLeapDayMidnight;
  EXPECT_EQ(get(Reg::kHours), 0x12);  // 12 AM
  now = kMillenniumNoon;
  EXPECT_EQ(get(Reg::kHours), 0x92);  // 12 PM
  set(Reg::kStatusB, CmosRtc::kStatusBBinary);
  EXPECT_EQ(get(Reg::kHours), 0x80 | 12);
}

TEST_F(CmosRtcTest, FollowsTheClock) {
  now = kMillenniumNoon;
  EXPECT_EQ(get(Reg::kSeconds), 0x59);
  EXPECT_EQ(get(Reg::kDayOfWeek), 0x06);  // Friday
  EXPECT_EQ(get(Reg::kYear), 0x99);
  EXPECT_EQ(get(Reg::kCentury), 0x19);
  now += 1;
  EXPECT_EQ(get(Reg::kSeconds), 0x00);
  EXPECT_EQ(get(Reg::kMinutes), 0x01);
}

TEST_F(CmosRtcTest, ClockWritesAreIgnored) {
  set(Reg::kSeconds, 0x30);
  set(Reg::kYear, 0x99);
  set(Reg::kCentury, 0x19);
  EXPECT_EQ(get(Reg::kSeconds), 0x07);
  EXPECT_EQ(get(Reg::kYear), 0x24);
  EXPECT_EQ(get(Reg::kCentury), 0x20);
}

TEST_F(CmosRtcTest, StatusWrites) {
  set(Reg::kStatusA, 0xff);
  EXPECT_EQ(get(Reg::kStatusA), 0x7f);  // UIP never set
  set(Reg::kStatusC, 0xff);
  set(Reg::kStatusD, 0x00);
  EXPECT_EQ(get(Reg::kStatusC), 0x00);
  EXPECT_EQ(get(Reg::kStatusD), 0x80);
}

TEST_F(CmosRtcTest, NmiDisableBitIsMasked) {
  EXPECT_EQ(get(0x80 | 0x00), 0x07);  // seconds, with NMI disabled
  EXPECT_EQ(get(0x80 | 0x0d), 0x80);
  EXPECT_EQ(rtc.read(CmosRtc::kIndexOffset), 0xff);
}

TEST_F(CmosRtcTest, MemoryBytesRoundTrip) {
  for (uint8_t i = 0x0e; i < 0x80; ++i) {
    if (i == static_cast<uint8_t>(Reg::kCentury)) continue;
    set(i, static_cast<uint8_t>(i ^ 0x5a));
  }
  for (uint8_t i = 0x0e; i < 0x80; ++i) {
    if (i == static_cast<uint8_t>(Reg::kCentury)) continue;
    EXPECT_EQ(get(i), static_cast<uint8_t>(i ^ 0x5a)) << int(i);
  }
  set(0x01, 0x30);  // the alarm registers are storage
  EXPECT_EQ(get(0x01), 0x30);
}

TEST_F(CmosRtcTest, MemorySizeFields) {
  constexpr uint64_t kMiB = 1 << 20;
  rtc.set_memory_size(8 * kMiB, 0);
  EXPECT_EQ(get(0x30), 0x00);  // 7168 KiB = 0x1c00
  EXPECT_EQ(get(0x31), 0x1c);
  EXPECT_EQ(get(0x34), 0x00);
  EXPECT_EQ(get(0x35), 0x00);

  rtc.set_memory_size(512 * kMiB, 0);
  EXPECT_EQ(get(0x30), 0xff);  // capped at 0xffff KiB
  EXPECT_EQ(get(0x31), 0xff);
  EXPECT_EQ(get(0x34), 0x00);  // 496 MiB / 64 KiB = 0x1f00
  EXPECT_EQ(get(0x35), 0x1f);
  EXPECT_EQ(get(0x5b), 0x00);
  EXPECT_EQ(get(0x5c), 0x00);
  EXPECT_EQ(get(0x5d), 0x00);

  rtc.set_memory_size(3072 * kMiB, 2048 * kMiB);
  EXPECT_EQ(get(0x34), 0x00);  // 3056 MiB / 64 KiB = 0xbf00
  EXPECT_EQ(get(0x35), 0xbf);
  EXPECT_EQ(get(0x5b), 0x00);  // 2 GiB / 64 KiB = 0x8000
  EXPECT_EQ(get(0x5c), 0x80);
  EXPECT_EQ(get(0x5d), 0x00);

  rtc.set_memory_size(3584 * kMiB, uint64_t{2} << 40);  // 2 TiB: capped at 24 bits
  EXPECT_EQ(get(0x5b), 0xff);
  EXPECT_EQ(get(0x5c), 0xff);
  EXPECT_EQ(get(0x5d), 0xff);
}

TEST(CmosRtcHostClock, ReadsAPlausibleDate) {
  CmosRtc rtc;
  rtc.write(CmosRtc::kIndexOffset, static_cast<uint8_t>(Reg::kCentury));
  EXPECT_EQ(rtc.read(CmosRtc::kDataOffset), 0x20);
  rtc.write(CmosRtc::kIndexOffset, static_cast<uint8_t>(Reg::kMonth));
  uint8_t month = rtc.read(CmosRtc::kDataOffset);
  EXPECT_GE(month, 0x01);
  EXPECT_LE(month, 0x12);
}

}  // namespace
}  // namespace vmm
