// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/arch/e820.hpp>
#include <vmm/arch/error.hpp>
#include <vmm/arch/layout.hpp>

#include "test_memory.hpp"

namespace vmm::x86_64 {
namespace {

using test::kGiB;
using test::kMiB;

constexpr E820Entry kLowRam{0, kEbdaStart, E820Type::kRam};
constexpr E820Entry kLegacyReserved{kEbdaStart, kHighMemoryStart - kEbdaStart, E820Type::kReserved};
constexpr E820Entry kKvmReserved{kKvmIdentityMapStart, kKvmReservedSize, E820Type::kReserved};

TEST(E820, SmallGuestHasLowRamLegacyHoleAndHighRam) {
  auto memory = test::make_memory(128 * kMiB);
  auto map = build_e820(memory);
  ASSERT_TRUE(map) << map.error().message();
  std::vector<E820Entry> expected{
      kLowRam, kLegacyReserved, {kHighMemoryStart, 127 * kMiB, E820Type::kRam}, kKvmReserved};
  EXPECT_EQ(*map, expected);
}

TEST(E820, LargeGuestSkipsTheMmioHole) {
  auto memory = test::make_memory(6 * kGiB);
  auto map = build_e820(memory);
  ASSERT_TRUE(map) << map.error().message();
  std::vector<E820Entry> expected{kLowRam,
                                  kLegacyReserved,
                                  {kHighMemoryStart, 3 * kGiB - kHighMemoryStart, E820Type::kRam},
                                  kKvmReserved,
                                  {4 * kGiB, 3 * kGiB, E820Type::kRam}};
  EXPECT_EQ(*map, expected);
}

TEST(E820, RamCountsOnlyWhatTheRegionsHold) {
  uint64_t total = 0;
  auto map = build_e820(x86_64_memory_layout(6 * kGiB));
  ASSERT_TRUE(map);
  for (const E820Entry& entry : *map) {
    if (entry.type == E820Type::kRam) total += entry.size;
  }
  EXPECT_EQ(total, 6 * kGiB - (kHighMemoryStart - kEbdaStart));
}

TEST(E820, TouchingRegionsMerge) {
  std::vector<RegionSpec> ram{{GuestAddress(0), 4 * kMiB}, {GuestAddress(4 * kMiB), 4 * kMiB}};
  auto map = build_e820(ram);
  ASSERT_TRUE(map);
  ASSERT_EQ(map->size(), 4u);
  EXPECT_EQ((*map)[2], (E820Entry{kHighMemoryStart, 7 * kMiB, E820Type::kRam}));
}

TEST(E820, RejectsWrappingAndOverlappingRegions) {
  std::vector<RegionSpec> wrapping{{GuestAddress(~0ULL - 4095), 8192}};
  auto map = build_e820(wrapping);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().code(), ArchErrc::kInvalidMemoryLayout);

  std::vector<RegionSpec> overlapping{{GuestAddress(0), 8 * kMiB}, {GuestAddress(4 * kMiB), 8 * kMiB}};
  map = build_e820(overlapping);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().code(), ArchErrc::kInvalidMemoryLayout);
}

TEST(E820, RejectsMoreEntriesThanTheZeroPageHolds) {
  std::vector<RegionSpec> ram{{GuestAddress(0), 2 * kMiB}};
  // Separate 1 MiB regions from 8 GiB up: next to the 4 entries above, 124 fit.
  auto add = [&](size_t count) {
    for (size_t i = 0; i < count; ++i) ram.push_back({GuestAddress(8 * kGiB + i * 2 * kMiB), kMiB});
  };
  add(kMaxE820Entries - 4);
  auto map = build_e820(ram);
  ASSERT_TRUE(map);
  EXPECT_EQ(map->size(), kMaxE820Entries);
  ram.push_back({GuestAddress(16 * kGiB), kMiB});
  map = build_e820(ram);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().code(), ArchErrc::kTooManyMemoryMapEntries);
}

}  // namespace
}  // namespace vmm::x86_64
