// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/loader/kernel.hpp>
#include <vmm/memory/guest_address.hpp>
#include <vmm/memory/guest_memory.hpp>

namespace vmm {

// Highest byte an initrd may occupy when the kernel does not say
// (boot.rst, initrd_addr_max: protocols 2.02 and earlier; ELF vmlinux).
inline constexpr uint64_t kDefaultInitrdAddrMax = 0x37FF'FFFF;

// Where place_initrd put the initrd: the values for boot_params'
// ramdisk_image and ramdisk_size.
struct InitrdPlacement {
  GuestAddress address;
  uint64_t size = 0;
};

// The highest byte the kernel lets an initrd occupy: the bzImage header's
// initrd_addr_max (protocol 2.03+), else kDefaultInitrdAddrMax.
[[nodiscard]] VMM_API uint64_t initrd_addr_max(const LoadedKernel& kernel);

// Copies the initrd to the highest page-aligned address at which it ends at
// or below min(initrd_addr_max + 1, end of the first RAM region, 4 GiB) and
// starts at or above kernel_end, as boot loaders traditionally do (so the
// kernel can grow upwards without meeting it).
VMM_API Result<InitrdPlacement> place_initrd(GuestMemory& memory, std::span<const uint8_t> initrd,
                                             uint64_t initrd_addr_max, GuestAddress kernel_end);

}  // namespace vmm
