// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Private: format sniffing shared by load_kernel and the loaders.
#pragma once

#include <cstdint>
#include <span>

namespace vmm {

// True if the image starts with the ELF magic "\x7fELF".
[[nodiscard]] bool has_elf_magic(std::span<const uint8_t> image);
// True if the image has the bzImage "HdrS" signature at 0x202 (boot.rst,
// "The Real-Mode Kernel Header").
[[nodiscard]] bool has_bzimage_signature(std::span<const uint8_t> image);

}  // namespace vmm
