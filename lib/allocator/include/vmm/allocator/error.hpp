// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

enum class AllocatorErrc {
  kInvalidRange = 1,  // empty or wrapping pool, zero size, alignment not a power of two
  kExhausted,         // no free GSI / no free range large enough
  kOutOfRange,        // a requested GSI or range lies outside the pool
  kInUse,             // a requested GSI or range overlaps an allocated one
  kNotAllocated,      // free() of something that was not allocated (exactly)
};

VMM_API const std::error_category& allocator_category() noexcept;
inline std::error_code make_error_code(AllocatorErrc e) {
  return {static_cast<int>(e), allocator_category()};
}

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::AllocatorErrc> : std::true_type {};
