// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cinttypes>
#include <cstdio>
#include <string>

namespace vmm::memory_detail {

// "0x1f000": guest addresses in messages are hexadecimal.
inline std::string hex(uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%" PRIx64, value);
  return text;
}

}  // namespace vmm::memory_detail
