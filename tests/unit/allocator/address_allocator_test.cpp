// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <cstdint>

#include <vmm/allocator/address_allocator.hpp>

namespace vmm {
namespace {

constexpr uint64_t kMax = UINT64_MAX;

AddressAllocator make(uint64_t base, uint64_t size) {
  auto allocator = AddressAllocator::create(base, size);
  EXPECT_TRUE(allocator.ok()) << allocator.error().message();
  return std::move(allocator).value();
}

TEST(AddressAllocator, RejectsZeroSizeAndWrappingPools) {
  EXPECT_EQ(AddressAllocator::create(0x1000, 0).error().code(), AllocatorErrc::kInvalidRange);
  EXPECT_EQ(AddressAllocator::create(kMax, 2).error().code(), AllocatorErrc::kInvalidRange);
  AddressAllocator top = make(kMax, 1);  // exactly the last byte of the address space
  EXPECT_EQ(top.last(), kMax);
}

TEST(AddressAllocator, FirstFitWithAlignment) {
  AddressAllocator pool = make(0xd000'0000, 0x10'0000);
  EXPECT_EQ(*pool.allocate(0x200, 0x1000), (AddressRange{0xd000'0000, 0x200}));
  EXPECT_EQ(*pool.allocate(0x200, 0x1000), (AddressRange{0xd000'1000, 0x200}));
  EXPECT_EQ(*pool.allocate(0x10), (AddressRange{0xd000'0200, 0x10}));  // fills the hole after the first
  EXPECT_EQ(*pool.allocate(0x1000, 0x1000), (AddressRange{0xd000'2000, 0x1000}));
}

TEST(AddressAllocator, UnalignedBaseIsRoundedUp) {
  AddressAllocator pool = make(0x1234, 0x10000);
  EXPECT_EQ(pool.allocate(0x100, 0x1000)->start, 0x2000u);
}

TEST(AddressAllocator, RejectsBadRequests) {
  AddressAllocator pool = make(0x1000, 0x10000);
  EXPECT_EQ(pool.allocate(0).error().code(), AllocatorErrc::kInvalidRange);
  EXPECT_EQ(pool.allocate(0x10, 0).error().code(), AllocatorErrc::kInvalidRange);
  EXPECT_EQ(pool.allocate(0x10, 3).error().code(), AllocatorErrc::kInvalidRange);
  EXPECT_EQ(pool.allocate(0x10001).error().code(), AllocatorErrc::kExhausted);
  EXPECT_EQ(pool.allocate(kMax).error().code(), AllocatorErrc::kExhausted);
  EXPECT_EQ(pool.allocate(0x10, uint64_t{1} << 63).error().code(), AllocatorErrc::kExhausted);
  EXPECT_EQ(pool.allocate(0x10, uint64_t{1} << 63).error().context(),
            "no free range of 0x10 bytes aligned to 0x8000000000000000 in [0x1000, +0x10000)");
}

TEST(AddressAllocator, ExhaustsExactlyAndReusesFreedRanges) {
  AddressAllocator pool = make(0x1000, 0x3000);
  auto a = pool.allocate(0x1000, 0x1000);
  auto b = pool.allocate(0x1000, 0x1000);
  auto c = pool.allocate(0x1000, 0x1000);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(c->start, 0x3000u);
  EXPECT_EQ(pool.allocate(1).error().code(), AllocatorErrc::kExhausted);
  ASSERT_TRUE(pool.free(*b).ok());
  EXPECT_EQ(*pool.allocate(0x800, 0x800), (AddressRange{0x2000, 0x800}));
  EXPECT_EQ(*pool.allocate(0x800, 0x800), (AddressRange{0x2800, 0x800}));
}

TEST(AddressAllocator, AllocateAtChecksPoolAndOverlap) {
  AddressAllocator pool = make(0x1000, 0x10000);
  ASSERT_TRUE(pool.allocate_at(0x4000, 0x1000).ok());
  EXPECT_EQ(pool.allocate_at(0x3800, 0x1000).error().code(), AllocatorErrc::kInUse);
  EXPECT_EQ(pool.allocate_at(0x4fff, 1).error().code(), AllocatorErrc::kInUse);
  EXPECT_EQ(pool.allocate_at(0x2000, 0x8000).error().code(), AllocatorErrc::kInUse);  // covers it
  EXPECT_TRUE(pool.allocate_at(0x5000, 0x10).ok());                                   // touching is fine
  EXPECT_TRUE(pool.allocate_at(0x3000, 0x1000).ok());
  EXPECT_EQ(pool.allocate_at(0x800, 0x1000).error().code(), AllocatorErrc::kOutOfRange);
  EXPECT_EQ(pool.allocate_at(0x10800, 0x1000).error().code(), AllocatorErrc::kOutOfRange);
  EXPECT_EQ(pool.allocate_at(kMax, 2).error().code(), AllocatorErrc::kOutOfRange);
  EXPECT_EQ(pool.allocate_at(0x2000, 0).error().code(), AllocatorErrc::kInvalidRange);
  // allocate() skips what allocate_at() claimed.
  EXPECT_EQ(pool.allocate(0x2000)->start, 0x1000u);  // exactly fills [0x1000, 0x3000)
  EXPECT_EQ(pool.allocate(0x2000)->start, 0x5010u);
}

TEST(AddressAllocator, OverlapMessageNamesBothRanges) {
  AddressAllocator pool = make(0, 0x10000);
  ASSERT_TRUE(pool.allocate_at(0x4000, 0x1000).ok());
  EXPECT_EQ(pool.allocate_at(0x4800, 0x100).error().context(),
            "range [0x4800, +0x100) overlaps the allocated range [0x4000, +0x1000)");
}

TEST(AddressAllocator, FreeNeedsTheExactRange) {
  AddressAllocator pool = make(0, 0x10000);
  AddressRange range = *pool.allocate(0x1000);
  EXPECT_EQ(pool.free(AddressRange{range.start, 0x800}).error().code(), AllocatorErrc::kNotAllocated);
  EXPECT_EQ(pool.free(AddressRange{0x8000, 0x1000}).error().code(), AllocatorErrc::kNotAllocated);
  EXPECT_EQ(pool.free(AddressRange{range.start, 0}).error().code(), AllocatorErrc::kNotAllocated);
  EXPECT_TRUE(pool.free(range).ok());
  EXPECT_EQ(pool.free(range).error().code(), AllocatorErrc::kNotAllocated);
}

TEST(AddressAllocator, TopOfAddressSpace) {
  AddressAllocator pool = make(kMax - 0x2fff, 0x3000);
  EXPECT_EQ(pool.last(), kMax);
  EXPECT_EQ(*pool.allocate(0x1000, 0x1000), (AddressRange{kMax - 0x2fff, 0x1000}));
  ASSERT_TRUE(pool.allocate_at(kMax - 0xfff, 0x1000).ok());  // ends at 2^64 - 1
  EXPECT_EQ(pool.allocate(0x1000)->start, kMax - 0x1fff);
  EXPECT_EQ(pool.allocate(1, 1).error().code(), AllocatorErrc::kExhausted);
  EXPECT_EQ(pool.allocate(0x10, 0x10000).error().code(), AllocatorErrc::kExhausted);
}

}  // namespace
}  // namespace vmm
