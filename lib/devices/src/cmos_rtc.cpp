// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// MC146818A RTC + NVRAM; register layout from the Motorola MC146818A
// datasheet, memory-size bytes from the IBM PC AT CMOS map as SeaBIOS reads it.
#include <vmm/devices/cmos_rtc.hpp>

#include <algorithm>
#include <utility>

namespace vmm {
namespace {

constexpr uint8_t kIndexMask = 0x7f;                          // bit 7 of the index port gates NMI on PCs
constexpr uint8_t kDefaultStatusA = 0x26;                     // 32.768 kHz time base, 1024 Hz rate
constexpr uint8_t kStatusAWritable = 0x7f;                    // UIP is read-only
constexpr uint8_t kDefaultStatusB = CmosRtc::kStatusB24Hour;  // BCD, 24-hour, as PC firmware leaves it
constexpr time_t kLatestTime = 253402300799;                  // 9999-12-31 23:59:59: four-digit years only

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t k64KiB = 64 * kKiB;

uint8_t index_of(CmosRtc::Register r) { return static_cast<uint8_t>(r); }

time_t host_clock() { return ::time(nullptr); }

}  // namespace

CmosRtc::CmosRtc(Clock clock) : clock_(clock ? std::move(clock) : Clock(host_clock)) {
  memory_[index_of(Register::kStatusA)] = kDefaultStatusA;
  memory_[index_of(Register::kStatusB)] = kDefaultStatusB;
}

uint8_t CmosRtc::read(uint8_t offset) {
  if (offset == kDataOffset) return read_register(index_);
  return 0xff;  // the index port is write-only
}

void CmosRtc::write(uint8_t offset, uint8_t value) {
  if (offset == kIndexOffset) index_ = value & kIndexMask;
  if (offset == kDataOffset) write_register(index_, value);
}

bool CmosRtc::is_clock_register(uint8_t index) const {
  switch (static_cast<Register>(index)) {
    case Register::kSeconds:
    case Register::kMinutes:
    case Register::kHours:
    case Register::kDayOfWeek:
    case Register::kDayOfMonth:
    case Register::kMonth:
    case Register::kYear:
    case Register::kCentury:
      return true;
    default:
      return false;
  }
}

uint8_t CmosRtc::read_register(uint8_t index) const {
  if (is_clock_register(index)) return read_clock(index);
  switch (static_cast<Register>(index)) {
    case Register::kStatusA:
      return memory_[index] & static_cast<uint8_t>(~kStatusAUpdateInProgress);
    case Register::kStatusC:
      return 0;  // no interrupt flags: no RTC interrupts
    case Register::kStatusD:
      return kStatusDValid;
    default:
      return memory_[index];
  }
}

void CmosRtc::write_register(uint8_t index, uint8_t value) {
  if (is_clock_register(index)) return;  // the host clock is authoritative
  switch (static_cast<Register>(index)) {
    case Register::kStatusA:
      memory_[index] = value & kStatusAWritable;
      return;
    case Register::kStatusC:
    case Register::kStatusD:
      return;  // read-only
    default:
      memory_[index] = value;
  }
}

// Binary or BCD, per status B bit 2 (DM).
uint8_t CmosRtc::encode(int value) const {
  auto binary = static_cast<uint8_t>(value);
  if (memory_[index_of(Register::kStatusB)] & kStatusBBinary) return binary;
  return static_cast<uint8_t>(((binary / 10) << 4) | (binary % 10));
}

// In 12-hour mode (status B bit 1 clear) hours run 12, 1..11 with bit 7
// marking PM; midnight is 12 AM.
uint8_t CmosRtc::encode_hour(int hour) const {
  if (memory_[index_of(Register::kStatusB)] & kStatusB24Hour) return encode(hour);
  int twelve = hour % 12 == 0 ? 12 : hour % 12;
  return static_cast<uint8_t>(encode(twelve) | (hour >= 12 ? kHourPm : 0));
}

uint8_t CmosRtc::read_clock(uint8_t index) const {
  time_t now = std::clamp<time_t>(clock_(), 0, kLatestTime);
  struct tm utc {};
  gmtime_r(&now, &utc);
  int year = utc.tm_year + 1900;
  switch (static_cast<Register>(index)) {
    case Register::kSeconds:
      return encode(std::min(utc.tm_sec, 59));  // no leap seconds
    case Register::kMinutes:
      return encode(utc.tm_min);
    case Register::kHours:
      return encode_hour(utc.tm_hour);
    case Register::kDayOfWeek:
      return encode(utc.tm_wday + 1);
    case Register::kDayOfMonth:
      return encode(utc.tm_mday);
    case Register::kMonth:
      return encode(utc.tm_mon + 1);
    case Register::kYear:
      return encode(year % 100);
    case Register::kCentury:
      return encode(year / 100);
    default:
      return 0;
  }
}

void CmosRtc::store_le(uint8_t index, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) memory_[index + i] = static_cast<uint8_t>(value >> (8 * i));
}

void CmosRtc::set_memory_size(uint64_t below_4g, uint64_t above_4g) {
  constexpr uint8_t kExtendedMemory = 0x30;  // KiB above 1 MiB
  constexpr uint8_t kMemoryAbove16M = 0x34;  // 64 KiB units above 16 MiB
  constexpr uint8_t kMemoryAbove4G = 0x5b;   // 64 KiB units above 4 GiB
  uint64_t extended = below_4g > kMiB ? (below_4g - kMiB) / kKiB : 0;
  uint64_t above_16m = below_4g > 16 * kMiB ? (below_4g - 16 * kMiB) / k64KiB : 0;
  store_le(kExtendedMemory, std::min<uint64_t>(extended, 0xffff), 2);
  store_le(kMemoryAbove16M, std::min<uint64_t>(above_16m, 0xffff), 2);
  store_le(kMemoryAbove4G, std::min<uint64_t>(above_4g / k64KiB, 0xffffff), 3);
}

}  // namespace vmm
