// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm::acpi {

enum class AcpiErrc {
  kInvalidAml = 1,       // a name, string, EISA id or length the AML grammar cannot express
  kNoVcpus,              // zero vCPUs
  kTooManyVcpus,         // more vCPUs than the MADT supports here
  kTooManyDevices,       // more devices than names or interrupt pins allow
  kInvalidDeviceWindow,  // zero-sized, wrapping, above 4 GiB or overlapping MMIO/IO windows
  kInvalidIrq,           // an IRQ outside the IOAPIC's pins, reserved, or used twice
  kInvalidRegister,      // a sleep control/status register that cannot exist
  kInvalidOemId,         // OEM ids too long or not printable ASCII
  kWindowTooSmall,       // the tables do not fit the guest-memory window given
  kInvalidWindow,        // the window is misaligned, empty or wraps
};

VMM_API const std::error_category& acpi_category() noexcept;
inline std::error_code make_error_code(AcpiErrc e) { return {static_cast<int>(e), acpi_category()}; }

}  // namespace vmm::acpi

template <>
struct std::is_error_code_enum<vmm::acpi::AcpiErrc> : std::true_type {};
