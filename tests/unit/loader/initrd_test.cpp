// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/loader/initrd.hpp>

#include "expect_error.hpp"
#include "test_images.hpp"

namespace vmm::test {
namespace {

constexpr uint64_t kNoLimit = 0xffff'ffff;

TEST(InitrdTest, GoesToTheTopOfLowRamPageAligned) {
  GuestMemory memory = make_memory(64 * kMiB);
  const Bytes initrd = pattern(10000, 7);
  auto placed = place_initrd(memory, initrd, kNoLimit, GuestAddress(17 * kMiB));
  ASSERT_TRUE(placed.ok()) << placed.error().message();
  EXPECT_EQ(placed->address, GuestAddress((64 * kMiB - 10000) & ~uint64_t{0xfff}));
  EXPECT_EQ(placed->address, GuestAddress(0x3ffd000));
  EXPECT_EQ(placed->size, 10000u);
  EXPECT_EQ(read_guest(memory, placed->address.value(), initrd.size()), initrd);
}

TEST(InitrdTest, EndsAtOrBelowInitrdAddrMax) {
  GuestMemory memory = make_memory(64 * kMiB);
  const Bytes initrd = pattern(0x2000, 7);
  auto placed = place_initrd(memory, initrd, 32 * kMiB - 1, GuestAddress(17 * kMiB));
  ASSERT_TRUE(placed.ok()) << placed.error().message();
  EXPECT_EQ(placed->address, GuestAddress(32 * kMiB - 0x2000));
}

TEST(InitrdTest, MatchesTheBootProtocolExample) {
  // boot.rst, initrd_addr_max: 131072 bytes with 0x37FFFFFF start at 0x37FE0000.
  GuestMemory memory = make_memory(1024 * kMiB);
  auto placed = place_initrd(memory, Bytes(131072, 1), kDefaultInitrdAddrMax, GuestAddress(17 * kMiB));
  ASSERT_TRUE(placed.ok()) << placed.error().message();
  EXPECT_EQ(placed->address, GuestAddress(0x37FE'0000));
}

TEST(InitrdTest, StaysInTheFirstRegion) {
  GuestMemory memory = make_memory({{GuestAddress(0), 64 * kMiB}, {GuestAddress(4ull << 30), 64 * kMiB}});
  auto placed = place_initrd(memory, Bytes(0x1000, 1), ~uint64_t{0}, GuestAddress(17 * kMiB));
  ASSERT_TRUE(placed.ok()) << placed.error().message();
  EXPECT_EQ(placed->address, GuestAddress(64 * kMiB - 0x1000));
}

TEST(InitrdTest, MayStartRightAtTheKernelEnd) {
  GuestMemory memory = make_memory(64 * kMiB);
  auto placed = place_initrd(memory, Bytes(0x3000, 1), kNoLimit, GuestAddress(64 * kMiB - 0x3000));
  ASSERT_TRUE(placed.ok()) << placed.error().message();
  EXPECT_EQ(placed->address, GuestAddress(64 * kMiB - 0x3000));
}

TEST(InitrdTest, RejectsInitrdThatWouldOverlapTheKernel) {
  GuestMemory memory = make_memory(64 * kMiB);
  expect_error(place_initrd(memory, Bytes(8 * kMiB, 1), kNoLimit, GuestAddress(60 * kMiB)),
               LoaderErrc::kDoesNotFit,
               {"initrd (8388608 bytes) does not fit", "kernel end 0x3c00000", "0x4000000"});
  // Page alignment moves it below the kernel end.
  expect_error(place_initrd(memory, Bytes(0x1001, 1), kNoLimit, GuestAddress(64 * kMiB - 0x1001)),
               LoaderErrc::kDoesNotFit);
  // initrd_addr_max below the kernel.
  expect_error(place_initrd(memory, Bytes(0x1000, 1), 16 * kMiB - 1, GuestAddress(17 * kMiB)),
               LoaderErrc::kDoesNotFit, {"initrd_addr_max 0xffffff"});
}

TEST(InitrdTest, RejectsInitrdLargerThanRam) {
  GuestMemory memory = make_memory(16 * kMiB);
  expect_error(place_initrd(memory, Bytes(17 * kMiB, 1), kNoLimit, GuestAddress(0)), LoaderErrc::kDoesNotFit);
}

TEST(InitrdTest, RejectsEmptyInitrd) {
  GuestMemory memory = make_memory(16 * kMiB);
  expect_error(place_initrd(memory, {}, kNoLimit, GuestAddress(0)), LoaderErrc::kInvalidInitrd, {"empty"});
}

TEST(InitrdTest, AddrMaxComesFromTheBzImageHeader) {
  GuestMemory memory = make_memory(64 * kMiB);
  BzImageSpec spec;
  spec.initrd_addr_max = 0x2fff'ffff;
  auto bz = load_bzimage(memory, make_bzimage(spec));
  ASSERT_TRUE(bz.ok()) << bz.error().message();
  EXPECT_EQ(initrd_addr_max(*bz), 0x2fff'ffffu);
  auto elf = load_elf(memory, make_elf(linux_like_elf()));
  ASSERT_TRUE(elf.ok()) << elf.error().message();
  EXPECT_EQ(initrd_addr_max(*elf), kDefaultInitrdAddrMax);
}

}  // namespace
}  // namespace vmm::test
