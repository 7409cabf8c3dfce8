// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/acpi/error.hpp>
#include <vmm/base/error_category.hpp>

namespace vmm::acpi {
namespace {

const char* describe_acpi_error(int code) {
  switch (static_cast<AcpiErrc>(code)) {
    case AcpiErrc::kInvalidAml:
      return "value not expressible in AML";
    case AcpiErrc::kNoVcpus:
      return "ACPI tables need at least one vCPU";
    case AcpiErrc::kTooManyVcpus:
      return "too many vCPUs for the MADT";
    case AcpiErrc::kTooManyDevices:
      return "too many devices for the ACPI tables";
    case AcpiErrc::kInvalidDeviceWindow:
      return "invalid device address window";
    case AcpiErrc::kInvalidIrq:
      return "invalid device interrupt";
    case AcpiErrc::kInvalidRegister:
      return "invalid ACPI sleep register";
    case AcpiErrc::kInvalidOemId:
      return "invalid ACPI OEM id";
    case AcpiErrc::kWindowTooSmall:
      return "ACPI tables do not fit their guest-memory window";
    case AcpiErrc::kInvalidWindow:
      return "invalid ACPI guest-memory window";
  }
  return "unknown ACPI error";
}

}  // namespace

const std::error_category& acpi_category() noexcept {
  static const ErrorCategory kCategory("vmm.acpi", describe_acpi_error);
  return kCategory;
}

}  // namespace vmm::acpi
