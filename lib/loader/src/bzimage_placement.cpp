// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// bzImage placement (boot.rst: relocatable_kernel, kernel_alignment,
// pref_address, init_size).
#include "bzimage_placement.hpp"

#include <algorithm>
#include <string>

#include <vmm/base/bytes.hpp>
#include <vmm/loader/kernel.hpp>

#include "text.hpp"

namespace vmm {
namespace {

using vmm::hex;
using loader_text::range;

// code32_start is 32 bits wide, so the kernel stays below 4 GiB.
constexpr uint64_t kLoadLimit = uint64_t{1} << 32;
constexpr uint64_t kMaxKernelAlignment = uint64_t{1} << 30;
// "Loading The Rest of The Kernel": a bzImage loads at 0x100000.
constexpr uint64_t kLegacyLoadAddress = 0x10'0000;

Error bz_error(LoaderErrc code, const std::string& what) { return Error(code, "bzImage: " + what); }

bool window_fits(const GuestMemory& memory, uint64_t start, uint64_t window) {
  auto end = checked_add(start, window);
  return start >= kKernelMinLoadAddress && end && *end <= kLoadLimit &&
         memory.contains_range(GuestAddress(start), window);
}

uint64_t preferred_address(const setup_header& header) {
  if (header.version >= kProtocolInitSize && header.pref_address != 0) return header.pref_address;
  return kLegacyLoadAddress;
}

Result<uint64_t> kernel_alignment(const setup_header& header) {
  const uint64_t alignment = header.kernel_alignment;
  if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > kMaxKernelAlignment) {
    return bz_error(LoaderErrc::kInvalidHeader,
                    "kernel_alignment " + hex(alignment) + " is not a power of two up to 1 GiB");
  }
  return alignment;
}

// The lowest aligned start at or above 1 MiB, region by region, where the
// window fits inside one RAM region.
std::optional<uint64_t> lowest_fit(const GuestMemory& memory, uint64_t alignment, uint64_t window) {
  for (const GuestRegion& region : memory.regions()) {
    auto start = align_up(std::max(region.start().value(), kKernelMinLoadAddress), alignment);
    if (start && window_fits(memory, *start, window)) return start;
  }
  return std::nullopt;
}

}  // namespace

Result<GuestAddress> choose_bzimage_load_address(const GuestMemory& memory, const setup_header& header,
                                                 uint64_t window) {
  const uint64_t preferred = preferred_address(header);
  if (header.relocatable_kernel == 0) {
    if (window_fits(memory, preferred, window)) return GuestAddress(preferred);
    return bz_error(LoaderErrc::kDoesNotFit, "the non-relocatable kernel needs " + range(preferred, window) +
                                                 " (init_size) in guest RAM between 1 MiB and 4 GiB");
  }
  VMM_TRY_ASSIGN(const uint64_t alignment, kernel_alignment(header));
  if (preferred % alignment == 0 && window_fits(memory, preferred, window)) return GuestAddress(preferred);
  if (auto start = lowest_fit(memory, alignment, window)) return GuestAddress(*start);
  return bz_error(LoaderErrc::kDoesNotFit,
                  "no " + hex(alignment) + "-aligned place for the kernel's " + hex(window) +
                      "-byte window (init_size) in guest RAM between " + "1 MiB and 4 GiB");
}

}  // namespace vmm
