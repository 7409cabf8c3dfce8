// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

#include <vmm/base/export.hpp>
#include <vmm/devices/interrupt.hpp>

namespace vmm {

// The ACPI Generic Event Device (ACPI 6.5, 5.6.9) as vmm::acpi describes it
// in the DSDT: one 32-bit MMIO register of pending event bits. The host
// presses the power button (bit 0) and raises the GED's interrupt; the
// guest's _EVT method reads the register, which returns the pending bits and
// clears them, and notifies \_SB.PWRB. Not thread-safe: wrap it (AcpiGedBusDevice).
class VMM_API AcpiGed {
 public:
  static constexpr uint64_t kRegisterSize = 4;
  static constexpr uint32_t kPowerButtonEvent = 1U << 0;

  // `interrupt` (the GED's GSI) must outlive the device.
  explicit AcpiGed(InterruptLine& interrupt) : interrupt_(interrupt) {}

  // The pending event bits; reading acknowledges (clears) them.
  uint32_t read_events();
  // Latches the power button event and raises the interrupt.
  void press_power_button();

  [[nodiscard]] uint32_t pending_events() const { return pending_; }

 private:
  InterruptLine& interrupt_;
  uint32_t pending_ = 0;
};

}  // namespace vmm
