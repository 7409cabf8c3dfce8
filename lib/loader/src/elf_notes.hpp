// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Private: the ELF note walk that finds the PVH entry point.
#pragma once

#include <elf.h>

#include <cstdint>
#include <optional>
#include <span>

#include <vmm/base/result.hpp>

namespace vmm {

// Walks the notes of every PT_NOTE segment and returns the address in the
// Xen note XEN_ELFNOTE_PHYS32_ENTRY (the PVH boot entry), or nullopt when
// there is none. A note that overruns its segment is an error.
Result<std::optional<uint32_t>> find_pvh_entry(std::span<const uint8_t> image,
                                               std::span<const Elf64_Phdr> phdrs);

}  // namespace vmm
