// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <bit>

#include <vmm/memory/guest_memory.hpp>

namespace vmm {

std::vector<RegionSpec> x86_64_memory_layout(uint64_t size) {
  if (size == 0) return {};
  if (size <= kMmioHoleStart) return {RegionSpec{GuestAddress(0), size}};
  // The part above the hole may wrap for absurd sizes; GuestMemory::create
  // rejects such a region, so the layout stays a pure function.
  return {RegionSpec{GuestAddress(0), kMmioHoleStart},
          RegionSpec{GuestAddress(kMmioHoleEnd), size - kMmioHoleStart}};
}

uint64_t DirtyBitmap::dirty_pages() const {
  uint64_t count = 0;
  for (uint64_t word : bits) count += static_cast<uint64_t>(std::popcount(word));
  return count;
}

}  // namespace vmm
