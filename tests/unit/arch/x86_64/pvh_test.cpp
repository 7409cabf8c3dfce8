// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/arch/error.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/arch/pvh.hpp>
#include <vmm/base/bytes.hpp>

#include "test_memory.hpp"

namespace vmm::x86_64 {
namespace {

using test::kGiB;
using test::kMiB;

TEST(Pvh, StartInfoLayoutMatchesXensHeader) {
  auto memory = test::make_memory(6 * kGiB);
  auto e820 = build_e820(memory).value();
  PvhSpec spec{GuestAddress(kCmdlineStart), InitrdRange{GuestAddress(0x8000'0000), 0x1234}, e820,
               GuestAddress()};
  ASSERT_TRUE(write_pvh_start_info(memory, spec));

  std::vector<uint8_t> raw = test::read_bytes(memory, kPvhStartInfoStart, sizeof(HvmStartInfo));
  EXPECT_EQ(load_le<uint32_t>(raw, 0), 0x336ec578u);                          // magic
  EXPECT_EQ(load_le<uint32_t>(raw, 4), 1u);                                   // version
  EXPECT_EQ(load_le<uint32_t>(raw, 12), 1u);                                  // nr_modules
  EXPECT_EQ(load_le<uint64_t>(raw, 16), kPvhModlistStart);                    // modlist_paddr
  EXPECT_EQ(load_le<uint64_t>(raw, 24), kCmdlineStart);                       // cmdline_paddr
  EXPECT_EQ(load_le<uint64_t>(raw, 32), 0u);                                  // rsdp_paddr
  EXPECT_EQ(load_le<uint64_t>(raw, 40), kPvhMemmapStart);                     // memmap_paddr
  EXPECT_EQ(load_le<uint32_t>(raw, 48), static_cast<uint32_t>(e820.size()));  // memmap_entries

  auto module = test::read_at<HvmModlistEntry>(memory, kPvhModlistStart);
  EXPECT_EQ(module.paddr, 0x8000'0000u);
  EXPECT_EQ(module.size, 0x1234u);
  EXPECT_EQ(module.cmdline_paddr, 0u);

  for (size_t i = 0; i < e820.size(); ++i) {
    auto entry =
        test::read_at<HvmMemmapTableEntry>(memory, kPvhMemmapStart + i * sizeof(HvmMemmapTableEntry));
    EXPECT_EQ(entry.addr, e820[i].addr);
    EXPECT_EQ(entry.size, e820[i].size);
    EXPECT_EQ(entry.type, static_cast<uint32_t>(e820[i].type));
    EXPECT_EQ(entry.reserved, 0u);
  }
}

TEST(Pvh, NoInitrdMeansNoModules) {
  auto memory = test::make_memory(64 * kMiB);
  auto e820 = build_e820(memory).value();
  ASSERT_TRUE(
      write_pvh_start_info(memory, {GuestAddress(kCmdlineStart), std::nullopt, e820, GuestAddress()}));
  auto info = test::read_at<HvmStartInfo>(memory, kPvhStartInfoStart);
  EXPECT_EQ(info.nr_modules, 0u);
  EXPECT_EQ(info.modlist_paddr, 0u);
  EXPECT_EQ(info.memmap_entries, e820.size());
}

TEST(Pvh, RsdpIsPassedThrough) {
  HvmStartInfo info =
      build_pvh_start_info({GuestAddress(kCmdlineStart), std::nullopt, {}, GuestAddress(0xe0000)});
  EXPECT_EQ(info.rsdp_paddr, 0xe0000u);
  EXPECT_EQ(info.memmap_paddr, 0u);  // no map: "not present"
}

TEST(Pvh, RejectsMemoryMapBeyondItsArea) {
  auto memory = test::make_memory(16 * kMiB);
  std::vector<E820Entry> map(kPvhMemmapMaxEntries + 1, E820Entry{0, 4096, E820Type::kRam});
  auto written =
      write_pvh_start_info(memory, {GuestAddress(kCmdlineStart), std::nullopt, map, GuestAddress()});
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), ArchErrc::kTooManyMemoryMapEntries);
}

}  // namespace
}  // namespace vmm::x86_64
