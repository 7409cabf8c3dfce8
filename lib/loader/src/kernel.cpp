// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/loader/kernel.hpp>

#include <string>

#include "image_format.hpp"

namespace vmm {

Result<LoadedKernel> load_kernel(GuestMemory& memory, std::span<const uint8_t> image) {
  if (has_elf_magic(image)) return load_elf(memory, image);
  if (has_bzimage_signature(image)) return load_bzimage(memory, image);
  return Error(LoaderErrc::kUnknownFormat, "kernel image (" + std::to_string(image.size()) +
                                               " bytes) is neither an ELF vmlinux nor a bzImage");
}

}  // namespace vmm
