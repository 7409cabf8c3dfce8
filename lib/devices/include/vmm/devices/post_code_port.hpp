// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include <vmm/bus/bus_device.hpp>

namespace vmm {

// Port 0x80, where firmware writes POST codes and where Linux's outb_p()
// writes to pause (arch/x86/include/asm/io.h, "slow_down_io"): thousands of
// exits during boot, so this is the cheapest device possible — no lock, no
// state but the last code (a relaxed atomic store is a plain move on x86),
// reads return 0.
class VMM_API PostCodePort final : public BusDevice {
 public:
  static constexpr uint16_t kPort = 0x80;
  static constexpr uint16_t kPortLength = 1;

  void read(uint64_t, std::span<uint8_t> data) override {
    for (auto& byte : data) byte = 0;
  }
  void write(uint64_t, std::span<const uint8_t> data) override {
    if (!data.empty()) last_code_.store(data.back(), std::memory_order_relaxed);
  }
  // The last byte written (for diagnostics: where firmware stopped).
  [[nodiscard]] uint8_t last_code() const { return last_code_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint8_t> last_code_{0};
};

}  // namespace vmm
