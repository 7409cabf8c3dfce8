// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Private: number formatting for loader error messages (g++ 12 has no <format>).
#pragma once

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

#include <vmm/base/bytes.hpp>
#include <vmm/base/hex.hpp>

namespace vmm::loader_text {

// "[0x1000, 0x3000)", or "0x... + 0x... (wraps)" when start + size overflows.
inline std::string range(uint64_t start, uint64_t size) {
  if (auto end = checked_add(start, size)) return "[" + hex(start) + ", " + hex(*end) + ")";
  return hex(start) + " + " + hex(size) + " (wraps past 2^64)";
}

}  // namespace vmm::loader_text
