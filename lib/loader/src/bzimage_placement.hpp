// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Private: where a bzImage's protected-mode kernel goes in guest memory.
#pragma once

#include <asm/bootparam.h>

#include <cstdint>

#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>

namespace vmm {

// Protocol 2.10 added pref_address and init_size (boot.rst protocol table).
inline constexpr uint16_t kProtocolInitSize = 0x020a;

// The load address for a kernel that needs `window` bytes from its start
// (max(init_size, code size)), within [1 MiB, 4 GiB) and guest RAM:
// - relocatable (relocatable_kernel): pref_address if it is aligned to
//   kernel_alignment and the window fits there, else the lowest address
//   aligned to kernel_alignment where it fits;
// - otherwise pref_address (0x100000 before protocol 2.10), or an error.
Result<GuestAddress> choose_bzimage_load_address(const GuestMemory& memory, const setup_header& header,
                                                 uint64_t window);

}  // namespace vmm
