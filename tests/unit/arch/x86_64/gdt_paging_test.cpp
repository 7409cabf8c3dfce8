// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/arch/gdt.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/arch/paging.hpp>

#include "test_memory.hpp"

namespace vmm::x86_64 {
namespace {

using test::kGiB;
using test::kMiB;

// Well-known flat descriptors (as in Linux's boot GDTs).
static_assert(gdt_entry(kCode64Flags, 0, 0xfffff) == 0x00af'9b00'0000'ffff);
static_assert(gdt_entry(kCode32Flags, 0, 0xfffff) == 0x00cf'9b00'0000'ffff);
static_assert(gdt_entry(kDataFlags, 0, 0xfffff) == 0x00cf'9300'0000'ffff);

TEST(Gdt, DecodesBaseLimitAndAttributes) {
  kvm_segment seg = segment_from_gdt_entry(gdt_entry(0x4093, 0x1234'5678, 0x9abcd), 0x28);
  EXPECT_EQ(seg.base, 0x1234'5678u);
  EXPECT_EQ(seg.limit, 0x9abcdu);  // G clear: byte granular
  EXPECT_EQ(seg.selector, 0x28);
  EXPECT_EQ(seg.type, 0x3);
  EXPECT_EQ(seg.s, 1);
  EXPECT_EQ(seg.present, 1);
  EXPECT_EQ(seg.db, 1);
  EXPECT_EQ(seg.g, 0);
  EXPECT_EQ(seg.unusable, 0);
}

TEST(Gdt, BootSegmentsAreFlat) {
  kvm_segment code64 = boot_segment(kCode64Selector);
  EXPECT_EQ(code64.selector, 0x10);  // __BOOT_CS
  EXPECT_EQ(code64.base, 0u);
  EXPECT_EQ(code64.limit, 0xffff'ffffu);
  EXPECT_EQ(code64.l, 1);
  EXPECT_EQ(code64.db, 0);
  EXPECT_EQ(code64.type, 0xb);

  kvm_segment code32 = boot_segment(kCode32Selector);
  EXPECT_EQ(code32.l, 0);
  EXPECT_EQ(code32.db, 1);
  EXPECT_EQ(code32.limit, 0xffff'ffffu);

  kvm_segment data = boot_segment(kDataSelector);
  EXPECT_EQ(data.selector, 0x18);  // __BOOT_DS
  EXPECT_EQ(data.type, 0x3);
  EXPECT_EQ(data.limit, 0xffff'ffffu);

  kvm_segment tss = boot_segment(kTssSelector);
  EXPECT_EQ(tss.s, 0);
  EXPECT_EQ(tss.type, 0xb);  // busy TSS
  EXPECT_EQ(tss.base, 0u);
  EXPECT_EQ(tss.limit, 0x67u);
  EXPECT_EQ(tss.present, 1);
}

TEST(Gdt, NullDescriptorIsUnusable) { EXPECT_EQ(segment_from_gdt_entry(0, 0).unusable, 1); }

TEST(Gdt, WrittenBeforeTheIdt) {
  auto memory = test::make_memory(2 * kMiB);
  std::vector<uint8_t> junk(0x100, 0xee);
  ASSERT_TRUE(memory.write(GuestAddress(kGdtStart), junk));
  ASSERT_TRUE(write_gdt(memory));
  EXPECT_EQ(test::read_at<Gdt>(memory, kGdtStart), boot_gdt());
  auto idt = test::read_at<std::array<uint64_t, 2>>(memory, kIdtStart);
  EXPECT_EQ(idt[0], 0u);
  EXPECT_EQ(idt[1], 0u);
}

TEST(Paging, TablesIdentityMapTheFirstGiB) {
  IdentityPageTables tables = build_identity_page_tables();
  EXPECT_EQ(tables.pml4[0], kPdptStart | 0x3);
  EXPECT_EQ(tables.pdpt[0], kPdStart | 0x3);
  EXPECT_EQ(tables.pd[0], 0x83u);
  EXPECT_EQ(tables.pd[511], 511 * 2 * kMiB | 0x83);
  for (size_t i = 1; i < kPageTableEntries; ++i) {
    EXPECT_EQ(tables.pml4[i], 0u);
    EXPECT_EQ(tables.pdpt[i], 0u);
  }
}

// Walks the tables in guest memory as the MMU would (4-level, 2 MiB leaves).
std::optional<uint64_t> translate(const GuestMemory& memory, uint64_t cr3, uint64_t va) {
  uint64_t pml4e = test::read_at<uint64_t>(memory, cr3 + ((va >> 39) & 511) * 8);
  if (!(pml4e & kPagePresent)) return std::nullopt;
  uint64_t pdpte = test::read_at<uint64_t>(memory, (pml4e & ~0xfffULL) + ((va >> 30) & 511) * 8);
  if (!(pdpte & kPagePresent) || (pdpte & kPageLarge)) return std::nullopt;
  uint64_t pde = test::read_at<uint64_t>(memory, (pdpte & ~0xfffULL) + ((va >> 21) & 511) * 8);
  if (!(pde & kPagePresent) || !(pde & kPageLarge)) return std::nullopt;
  return (pde & ~(kLargePageSize - 1)) + (va & (kLargePageSize - 1));
}

TEST(Paging, WrittenTablesTranslateToTheSameAddress) {
  auto memory = test::make_memory(64 * kMiB);
  std::vector<uint8_t> junk(3 * 4096, 0xee);
  ASSERT_TRUE(memory.write(GuestAddress(kPml4Start), junk));
  ASSERT_TRUE(write_identity_page_tables(memory));
  for (uint64_t va :
       {uint64_t{0}, kZeroPageStart, kCmdlineStart, kHighMemoryStart, uint64_t{0x12'3456}, kGiB - 1}) {
    EXPECT_EQ(translate(memory, kPml4Start, va), va) << std::hex << va;
  }
  EXPECT_EQ(translate(memory, kPml4Start, kGiB), std::nullopt);
}

}  // namespace
}  // namespace vmm::x86_64
