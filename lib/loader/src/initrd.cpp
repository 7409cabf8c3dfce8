// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/loader/initrd.hpp>

#include <algorithm>
#include <string>

#include "text.hpp"

namespace vmm {
namespace {


constexpr uint16_t kProtocolInitrdAddrMax = 0x0203;  // boot.rst: initrd_addr_max
constexpr uint64_t kPageSize = 4096;
// ramdisk_image is a 32-bit field.
constexpr uint64_t kInitrdLimit = uint64_t{1} << 32;

// RAM below the 32-bit MMIO hole is the first region (x86_64_memory_layout).
uint64_t low_ram_start(const GuestMemory& memory) {
  return memory.regions().empty() ? 0 : memory.regions().front().start().value();
}

// One past the highest byte the initrd may occupy.
uint64_t initrd_ceiling(const GuestMemory& memory, uint64_t addr_max) {
  const uint64_t low_ram_end = memory.regions().empty() ? 0 : memory.regions().front().end().value();
  const uint64_t kernel_limit = addr_max >= kInitrdLimit ? kInitrdLimit : addr_max + 1;
  return std::min({kernel_limit, low_ram_end, kInitrdLimit});
}

}  // namespace

uint64_t initrd_addr_max(const LoadedKernel& kernel) {
  if (kernel.header && kernel.header->version >= kProtocolInitrdAddrMax)
    return kernel.header->initrd_addr_max;
  return kDefaultInitrdAddrMax;
}

Result<InitrdPlacement> place_initrd(GuestMemory& memory, std::span<const uint8_t> initrd, uint64_t addr_max,
                                     GuestAddress kernel_end) {
  if (initrd.empty()) return Error(LoaderErrc::kInvalidInitrd, "initrd is empty");
  const uint64_t ceiling = initrd_ceiling(memory, addr_max);
  const uint64_t lowest = std::max(kernel_end.value(), low_ram_start(memory));
  const uint64_t start = ceiling >= initrd.size() ? (ceiling - initrd.size()) & ~(kPageSize - 1) : 0;
  if (ceiling < initrd.size() || start < lowest ||
      !memory.contains_range(GuestAddress(start), initrd.size())) {
    return Error(LoaderErrc::kDoesNotFit, "initrd (" + std::to_string(initrd.size()) +
                                              " bytes) does not fit between the kernel end " + hex(lowest) +
                                              " and " + hex(ceiling) + " (initrd_addr_max " + hex(addr_max) +
                                              ", end of low RAM)");
  }
  VMM_TRY(memory.write(GuestAddress(start), initrd));
  return InitrdPlacement{GuestAddress(start), initrd.size()};
}

}  // namespace vmm
