// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>

namespace vmm::x86_64 {

// Address range types of the BIOS e820 map (ACPI 6.5, 15.3 "Address Range
// Types"); the PVH memory map uses the same values.
enum class E820Type : uint32_t {
  kRam = 1,
  kReserved = 2,
  kAcpi = 3,
  kNvs = 4,
  kUnusable = 5,
};

struct E820Entry {
  uint64_t addr = 0;
  uint64_t size = 0;
  E820Type type = E820Type::kRam;
  friend bool operator==(const E820Entry&, const E820Entry&) = default;
};

// The zero page holds 128 entries (E820_MAX_ENTRIES_ZEROPAGE); longer maps
// are an error rather than silently truncated.
inline constexpr size_t kMaxE820Entries = 128;

// The guest's memory map, sorted by address, matching layout.hpp:
//   RAM       [0, kEbdaStart)                  (the part of it that is RAM)
//   reserved  [kEbdaStart, 1 MiB)              EBDA (MP table) + VGA/ROM area
//   RAM       [1 MiB, end of each region)      e.g. up to 3 GiB, and from 4 GiB
//   reserved  KVM identity-map/TSS pages        (kKvmIdentityMapStart)
// Touching RAM ranges are merged.
VMM_API Result<std::vector<E820Entry>> build_e820(std::span<const RegionSpec> ram);
VMM_API Result<std::vector<E820Entry>> build_e820(const GuestMemory& memory);

}  // namespace vmm::x86_64
