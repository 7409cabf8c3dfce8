// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/gdt.hpp>

#include <cassert>

#include <vmm/arch/layout.hpp>

namespace vmm::x86_64 {
namespace {

constexpr uint64_t bits(uint64_t value, unsigned low, unsigned count) {
  return (value >> low) & ((uint64_t{1} << count) - 1);
}

}  // namespace

Gdt boot_gdt() {
  return {
      0,                                    // null
      gdt_entry(kCode32Flags, 0, 0xfffff),  // 0x08
      gdt_entry(kCode64Flags, 0, 0xfffff),  // 0x10 __BOOT_CS
      gdt_entry(kDataFlags, 0, 0xfffff),    // 0x18 __BOOT_DS
      gdt_entry(kTssFlags, 0, kTssLimit),   // 0x20
      0,                                    // TSS base 63..32
  };
}

kvm_segment segment_from_gdt_entry(uint64_t entry, uint16_t selector) {
  kvm_segment segment{};
  segment.base = bits(entry, 16, 24) | (bits(entry, 56, 8) << 24);
  uint64_t limit = bits(entry, 0, 16) | (bits(entry, 48, 4) << 16);
  segment.g = static_cast<uint8_t>(bits(entry, 55, 1));
  segment.limit = static_cast<uint32_t>(segment.g ? (limit << 12) | 0xfff : limit);
  segment.selector = selector;
  segment.type = static_cast<uint8_t>(bits(entry, 40, 4));
  segment.s = static_cast<uint8_t>(bits(entry, 44, 1));
  segment.dpl = static_cast<uint8_t>(bits(entry, 45, 2));
  segment.present = static_cast<uint8_t>(bits(entry, 47, 1));
  segment.avl = static_cast<uint8_t>(bits(entry, 52, 1));
  segment.l = static_cast<uint8_t>(bits(entry, 53, 1));
  segment.db = static_cast<uint8_t>(bits(entry, 54, 1));
  segment.unusable = segment.present ? 0 : 1;
  return segment;
}

kvm_segment boot_segment(uint16_t selector) {
  size_t index = selector / 8;
  assert(index < kGdtEntries);
  return segment_from_gdt_entry(boot_gdt()[index], selector);
}

Result<void> write_gdt(GuestMemory& memory) {
  auto written = memory.write_obj(GuestAddress(kGdtStart), boot_gdt());
  if (written) written = memory.write_obj(GuestAddress(kIdtStart), std::array<uint8_t, kIdtSize>{});
  if (!written) return written.error().with_context("writing the boot GDT");
  return ok();
}

}  // namespace vmm::x86_64
