// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

#include <vmm/base/export.hpp>
#include <vmm/devices/interrupt.hpp>

namespace vmm {

// The hardware-reduced ACPI sleep registers (ACPI 6.5, 4.8.3.7 and 4.8.3.8)
// as two byte-wide I/O ports: offset 0 is SLEEP_CONTROL_REG, offset 1 is
// SLEEP_STATUS_REG. Writing SLP_EN (bit 5) with SLP_TYP (bits 2-4) equal to
// the S5 type of the DSDT's \_S5_ package powers the machine off; other
// sleep states are not supported and ignored. The status register reads 0
// (WAK_STS clear: the machine never wakes). Not thread-safe: wrap it
// (AcpiSleepControlBusDevice).
class VMM_API AcpiSleepControl {
 public:
  static constexpr uint16_t kPortLength = 2;
  static constexpr uint8_t kControlOffset = 0;
  static constexpr uint8_t kStatusOffset = 1;
  static constexpr uint8_t kSleepEnable = 1U << 5;
  static constexpr uint8_t kSleepTypeShift = 2;
  static constexpr uint8_t kSleepTypeMask = 0x7;

  // `power_off` must outlive the device; `s5_sleep_type` is the SLP_TYP in \_S5_.
  AcpiSleepControl(PowerOffLine& power_off, uint8_t s5_sleep_type)
      : power_off_(power_off), s5_sleep_type_(s5_sleep_type) {}

  uint8_t read(uint8_t offset);
  void write(uint8_t offset, uint8_t value);

 private:
  PowerOffLine& power_off_;
  uint8_t s5_sleep_type_;
};

}  // namespace vmm
