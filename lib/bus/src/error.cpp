// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/bus/error.hpp>

namespace vmm {
namespace {

const char* describe_bus_error(int code) {
  switch (static_cast<BusErrc>(code)) {
    case BusErrc::kZeroLength:
      return "bus range has zero length";
    case BusErrc::kOverflow:
      return "bus range wraps past the end of the address space";
    case BusErrc::kOverlap:
      return "bus ranges overlap";
    case BusErrc::kNotFound:
      return "no bus range at this address";
  }
  return "unknown bus error";
}

}  // namespace

const std::error_category& bus_category() noexcept {
  static const ErrorCategory kCategory("vmm.bus", describe_bus_error);
  return kCategory;
}

}  // namespace vmm
