// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/devices/acpi_sleep_control.hpp>

namespace vmm {

uint8_t AcpiSleepControl::read(uint8_t /*offset*/) {
  // SLEEP_CONTROL_REG is write-only in effect; SLEEP_STATUS_REG has WAK_STS
  // (bit 7) clear because the machine never resumes from a sleep state.
  return 0;
}

void AcpiSleepControl::write(uint8_t offset, uint8_t value) {
  if (offset != kControlOffset || (value & kSleepEnable) == 0) return;
  auto sleep_type = static_cast<uint8_t>((value >> kSleepTypeShift) & kSleepTypeMask);
  if (sleep_type == s5_sleep_type_) power_off_.power_off();
}

}  // namespace vmm
