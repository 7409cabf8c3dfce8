// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

enum class MemoryErrc {
  kInvalidRegion = 1,  // zero size, unaligned, overlapping or wrapping regions
  kOutOfBounds,        // access outside guest RAM or across a gap
  kMapFailed,          // mmap of guest RAM failed (too large, no huge pages)
  kShortRead,          // a file ended before the requested length
};

VMM_API const std::error_category& memory_category() noexcept;
inline std::error_code make_error_code(MemoryErrc e) { return {static_cast<int>(e), memory_category()}; }

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::MemoryErrc> : std::true_type {};
