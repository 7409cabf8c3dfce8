// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/devices/error.hpp>

namespace vmm {
namespace {

const char* describe_devices_error(int code) {
  switch (static_cast<DevicesErrc>(code)) {
    case DevicesErrc::kBufferFull:
      return "device buffer full";
  }
  return "unknown device error";
}

}  // namespace

const std::error_category& devices_category() noexcept {
  static const ErrorCategory kCategory("vmm.devices", describe_devices_error);
  return kCategory;
}

}  // namespace vmm
