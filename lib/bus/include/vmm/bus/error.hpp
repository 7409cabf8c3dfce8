// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

enum class BusErrc {
  kZeroLength = 1,  // a range of length 0 covers nothing
  kOverflow,        // base + length wraps around the 64-bit address space
  kOverlap,         // the range overlaps one already on the bus
  kNotFound,        // no range starts at the given base
};

VMM_API const std::error_category& bus_category() noexcept;
inline std::error_code make_error_code(BusErrc e) { return {static_cast<int>(e), bus_category()}; }

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::BusErrc> : std::true_type {};
