// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/devices/acpi_ged.hpp>

namespace vmm {

uint32_t AcpiGed::read_events() {
  uint32_t events = pending_;
  pending_ = 0;
  return events;
}

void AcpiGed::press_power_button() {
  pending_ |= kPowerButtonEvent;
  interrupt_.trigger();
}

}  // namespace vmm
