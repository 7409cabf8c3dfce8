// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <cstdint>

#include <vmm/allocator/gsi_allocator.hpp>

namespace vmm {
namespace {

GsiAllocator make(uint32_t first, uint32_t last) {
  auto allocator = GsiAllocator::create(first, last);
  EXPECT_TRUE(allocator.ok());
  return std::move(allocator).value();
}

TEST(GsiAllocator, RejectsEmptyPool) {
  auto allocator = GsiAllocator::create(10, 9);
  ASSERT_FALSE(allocator.ok());
  EXPECT_EQ(allocator.error().code(), AllocatorErrc::kInvalidRange);
}

TEST(GsiAllocator, AllocatesLowestFreeAndReusesFreed) {
  GsiAllocator gsis = make(5, 23);
  EXPECT_EQ(*gsis.allocate(), 5u);
  EXPECT_EQ(*gsis.allocate(), 6u);
  EXPECT_EQ(*gsis.allocate(), 7u);
  ASSERT_TRUE(gsis.free(6).ok());
  EXPECT_FALSE(gsis.is_allocated(6));
  EXPECT_EQ(*gsis.allocate(), 6u);
  EXPECT_EQ(*gsis.allocate(), 8u);
}

TEST(GsiAllocator, SpecificGsiIsClaimedOnceAndSkipped) {
  GsiAllocator gsis = make(0, 3);
  ASSERT_TRUE(gsis.allocate_at(0).ok());
  ASSERT_TRUE(gsis.allocate_at(2).ok());
  EXPECT_EQ(gsis.allocate_at(2).error().code(), AllocatorErrc::kInUse);
  EXPECT_EQ(gsis.allocate_at(4).error().code(), AllocatorErrc::kOutOfRange);
  EXPECT_EQ(gsis.allocate_at(4).error().message(), "GSI 4 is outside [0, 3]: outside the pool");
  EXPECT_EQ(*gsis.allocate(), 1u);
  EXPECT_EQ(*gsis.allocate(), 3u);
  auto none = gsis.allocate();
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), AllocatorErrc::kExhausted);
}

TEST(GsiAllocator, FreeOfUnallocatedIsAnError) {
  GsiAllocator gsis = make(0, 3);
  EXPECT_EQ(gsis.free(1).error().code(), AllocatorErrc::kNotAllocated);
  ASSERT_TRUE(gsis.allocate_at(1).ok());
  ASSERT_TRUE(gsis.free(1).ok());
  EXPECT_EQ(gsis.free(1).error().code(), AllocatorErrc::kNotAllocated);
}

TEST(GsiAllocator, TopOfRangeDoesNotWrap) {
  GsiAllocator gsis = make(UINT32_MAX - 1, UINT32_MAX);
  EXPECT_EQ(*gsis.allocate(), UINT32_MAX - 1);
  EXPECT_EQ(*gsis.allocate(), UINT32_MAX);
  EXPECT_EQ(gsis.allocate().error().code(), AllocatorErrc::kExhausted);
  EXPECT_EQ(gsis.first(), UINT32_MAX - 1);
  EXPECT_EQ(gsis.last(), UINT32_MAX);
}

TEST(GsiAllocator, SinglePool) {
  GsiAllocator gsis = make(7, 7);
  EXPECT_EQ(*gsis.allocate(), 7u);
  EXPECT_FALSE(gsis.allocate().ok());
}

}  // namespace
}  // namespace vmm
