// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Shared by the fuzz targets: guest RAM [0, size) mapped once for the whole
// run (MAP_NORESERVE, so only touched pages cost); mapping it per input
// would dominate the run time. Aborts if it cannot be mapped.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <span>

#include <vmm/memory/guest_memory.hpp>

namespace vmm::fuzz {

template <uint64_t kSize>
GuestMemory& guest_memory() {
  static GuestMemory memory = [] {
    const RegionSpec region{GuestAddress(0), kSize};
    auto created = GuestMemory::create(std::span(&region, 1));
    if (!created) std::abort();
    return std::move(created).value();
  }();
  return memory;
}

}  // namespace vmm::fuzz
