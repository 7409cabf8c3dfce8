// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/memory/guest_memory.hpp>

namespace vmm {
namespace {

constexpr uint64_t kMiB = 1 << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;

TEST(X86_64Layout, SmallMemoryIsOneRegionAtZero) {
  auto layout = x86_64_memory_layout(256 * kMiB);
  ASSERT_EQ(layout.size(), 1u);
  EXPECT_EQ(layout[0].start, GuestAddress(0));
  EXPECT_EQ(layout[0].size, 256 * kMiB);
}

TEST(X86_64Layout, ExactlyUpToTheHoleIsOneRegion) {
  auto layout = x86_64_memory_layout(3 * kGiB);
  ASSERT_EQ(layout.size(), 1u);
  EXPECT_EQ(layout[0].size, kMmioHoleStart);
}

TEST(X86_64Layout, LargeMemorySkipsTheHole) {
  auto layout = x86_64_memory_layout(6 * kGiB);
  ASSERT_EQ(layout.size(), 2u);
  EXPECT_EQ(layout[0].start, GuestAddress(0));
  EXPECT_EQ(layout[0].size, 3 * kGiB);
  EXPECT_EQ(layout[1].start, GuestAddress(kMmioHoleEnd));
  EXPECT_EQ(layout[1].size, 3 * kGiB);
}

TEST(X86_64Layout, ZeroIsEmpty) { EXPECT_TRUE(x86_64_memory_layout(0).empty()); }

TEST(X86_64Layout, MapsWithNoReserve) {
  // 6 GiB of MAP_NORESERVE address space costs nothing until touched.
  auto layout = x86_64_memory_layout(6 * kGiB);
  auto memory = GuestMemory::create(layout);
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  EXPECT_EQ(memory->total_size(), 6 * kGiB);
  EXPECT_EQ(memory->end(), GuestAddress(7 * kGiB));
  EXPECT_FALSE(memory->contains_range(GuestAddress(kMmioHoleStart), 1));
  EXPECT_TRUE(memory->write_obj<uint32_t>(GuestAddress(kMmioHoleEnd), 7).ok());
}

TEST(X86_64Layout, AbsurdSizeIsRejectedNotWrapped) {
  auto memory = GuestMemory::create(x86_64_memory_layout(~uint64_t{0} & ~uint64_t{0xfff}));
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.error().code(), MemoryErrc::kInvalidRegion);
}

TEST(DirtyBitmap, CountsAndTestsBits) {
  DirtyBitmap bitmap{GuestAddress(0x10000), 4096, {0b1011, 0, uint64_t{1} << 63}};
  EXPECT_EQ(bitmap.dirty_pages(), 4u);
  EXPECT_TRUE(bitmap.is_dirty(0));
  EXPECT_TRUE(bitmap.is_dirty(1));
  EXPECT_FALSE(bitmap.is_dirty(2));
  EXPECT_TRUE(bitmap.is_dirty(3));
  EXPECT_FALSE(bitmap.is_dirty(64));
  EXPECT_TRUE(bitmap.is_dirty(191));
  EXPECT_FALSE(bitmap.is_dirty(192));  // past the end: not dirty, not a crash
  EXPECT_EQ(DirtyBitmap{}.dirty_pages(), 0u);
}

TEST(MemoryCategory, NamesAndDescribes) {
  std::error_code code = MemoryErrc::kOutOfBounds;
  EXPECT_STREQ(code.category().name(), "vmm.memory");
  EXPECT_EQ(code.message(), "guest address outside guest RAM");
  EXPECT_EQ(std::error_code(MemoryErrc::kShortRead).message(), "file shorter than expected");
}

}  // namespace
}  // namespace vmm
