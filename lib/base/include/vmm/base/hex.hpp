// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

namespace vmm {

// "0x1f000": addresses, ports and sizes in error messages are hexadecimal.
inline std::string hex(uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%" PRIx64, value);
  return text;
}

}  // namespace vmm
