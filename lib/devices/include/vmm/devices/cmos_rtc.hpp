// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstdint>
#include <ctime>
#include <functional>

#include <vmm/base/export.hpp>

namespace vmm {

// The PC's CMOS RTC and NVRAM (Motorola MC146818A), behind ports 0x70
// (index, offset 0) and 0x71 (data, offset 1). Not thread-safe: wrap it
// (CmosRtcBusDevice).
//
// The clock registers read the injected clock (UTC seconds) at each access;
// they are never "updating" (status A UIP reads 0) and status D reports a
// valid battery. Choices:
// - Guest writes to the clock registers are ignored: the host clock is the
//   authority (a guest's `hwclock --systohc` has no effect).
// - No alarm, periodic or update-ended interrupts (IRQ 8): status C reads 0.
//   Alarm registers and status A/B are plain storage; status B's data mode
//   (bit 2, binary) and 24-hour (bit 1) bits select the encoding.
// - The index port's bit 7 (NMI disable on PCs) is ignored; reading the index
//   port gives 0xff, as it is write-only.
class VMM_API CmosRtc {
 public:
  static constexpr uint16_t kPortBase = 0x70;
  static constexpr uint16_t kPortLength = 2;
  static constexpr uint8_t kIndexOffset = 0;
  static constexpr uint8_t kDataOffset = 1;
  static constexpr size_t kSize = 128;

  // Register indices (MC146818A datasheet, "Address map"; 0x32 is the IBM PC
  // century byte, named by the ACPI FADT CENTURY field).
  enum class Register : uint8_t {
    kSeconds = 0x00,
    kMinutes = 0x02,
    kHours = 0x04,
    kDayOfWeek = 0x06,  // 1 = Sunday
    kDayOfMonth = 0x07,
    kMonth = 0x08,
    kYear = 0x09,  // two digits
    kStatusA = 0x0a,
    kStatusB = 0x0b,
    kStatusC = 0x0c,
    kStatusD = 0x0d,
    kCentury = 0x32,
  };
  static constexpr uint8_t kStatusAUpdateInProgress = 0x80;
  static constexpr uint8_t kStatusB24Hour = 0x02;
  static constexpr uint8_t kStatusBBinary = 0x04;
  static constexpr uint8_t kStatusDValid = 0x80;
  static constexpr uint8_t kHourPm = 0x80;  // 12-hour mode

  // Seconds since the epoch, UTC. A default-constructed Clock means the
  // host's realtime clock.
  using Clock = std::function<time_t()>;
  explicit CmosRtc(Clock clock = {});

  uint8_t read(uint8_t offset);
  void write(uint8_t offset, uint8_t value);

  // Fills the NVRAM memory-size fields that SeaBIOS and other PC firmware
  // read (as QEMU's pc machine does):
  //   0x30/0x31  KiB of RAM from 1 MiB up to the end of low RAM, capped at 0xffff
  //   0x34/0x35  64 KiB units of RAM from 16 MiB up to the end of low RAM
  //   0x5b-0x5d  64 KiB units of RAM above 4 GiB (24 bits)
  void set_memory_size(uint64_t below_4g, uint64_t above_4g);

 private:
  [[nodiscard]] uint8_t read_register(uint8_t index) const;
  void write_register(uint8_t index, uint8_t value);
  [[nodiscard]] bool is_clock_register(uint8_t index) const;
  [[nodiscard]] uint8_t read_clock(uint8_t index) const;
  [[nodiscard]] uint8_t encode(int value) const;
  [[nodiscard]] uint8_t encode_hour(int hour) const;
  void store_le(uint8_t index, uint64_t value, int bytes);

  Clock clock_;
  uint8_t index_ = 0;
  std::array<uint8_t, kSize> memory_{};
};

}  // namespace vmm
