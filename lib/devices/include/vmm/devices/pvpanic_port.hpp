// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>

#include <vmm/bus/bus_device.hpp>
#include <vmm/devices/interrupt.hpp>

namespace vmm {

// The pvpanic device as QEMU's ISA variant has it: one I/O port (0x505).
// Reading it gives the events the device supports; the guest writes
// PANICKED when its kernel panics (Linux: the pvpanic / pvpanic-mmio
// drivers, bound through the ACPI device "QEMU0001"). No state, no lock: a
// write with PANICKED set pulls the panic line, CRASH_LOADED (a kdump kernel
// is loaded and will take over) is accepted and otherwise ignored.
class VMM_API PvPanicPort final : public BusDevice {
 public:
  static constexpr uint16_t kPort = 0x505;
  static constexpr uint16_t kPortLength = 1;
  static constexpr uint8_t kPanicked = 1 << 0;
  static constexpr uint8_t kCrashLoaded = 1 << 1;

  explicit PvPanicPort(PanicLine& line) : line_(line) {}

  void read(uint64_t, std::span<uint8_t> data) override {
    for (auto& byte : data) byte = 0;
    if (!data.empty()) data[0] = kPanicked | kCrashLoaded;
  }
  void write(uint64_t, std::span<const uint8_t> data) override {
    if (!data.empty() && (data[0] & kPanicked) != 0) line_.panicked();
  }

 private:
  PanicLine& line_;
};

}  // namespace vmm
