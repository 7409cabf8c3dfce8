// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <algorithm>

#include <vmm/arch/gdt.hpp>
#include <vmm/arch/lapic.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/arch/msrs.hpp>
#include <vmm/arch/registers.hpp>

namespace vmm::x86_64 {
namespace {

// Roughly what KVM_GET_SREGS returns after reset.
kvm_sregs reset_sregs() {
  kvm_sregs sregs{};
  sregs.cr0 = 0x6000'0010;  // CD | NW | ET
  sregs.apic_base = 0xfee0'0900;
  sregs.ldt.type = 2;
  sregs.ldt.present = 1;
  return sregs;
}

TEST(Registers, LongModeFollowsThe64BitBootProtocol) {
  kvm_sregs sregs = long_mode_sregs(reset_sregs());
  EXPECT_EQ(sregs.cr0, 0x8000'0031u);  // PG | NE | ET | PE, caches on
  EXPECT_EQ(sregs.cr3, kPml4Start);
  EXPECT_EQ(sregs.cr4, 0x20u);    // PAE
  EXPECT_EQ(sregs.efer, 0x500u);  // LMA | LME
  EXPECT_EQ(sregs.cs.selector, 0x10);
  EXPECT_EQ(sregs.cs.l, 1);
  for (const kvm_segment* seg : {&sregs.ds, &sregs.es, &sregs.fs, &sregs.gs, &sregs.ss}) {
    EXPECT_EQ(seg->selector, 0x18);
    EXPECT_EQ(seg->limit, 0xffff'ffffu);
  }
  EXPECT_EQ(sregs.tr.selector, kTssSelector);
  EXPECT_EQ(sregs.gdt.base, kGdtStart);
  EXPECT_EQ(sregs.gdt.limit, kGdtEntries * 8 - 1);
  EXPECT_EQ(sregs.idt.base, kIdtStart);
  EXPECT_EQ(sregs.idt.limit, kIdtSize - 1);
  EXPECT_EQ(sregs.apic_base, 0xfee0'0900u);  // kept
  EXPECT_EQ(sregs.ldt.type, 2);              // kept
}

TEST(Registers, PvhIsFlat32BitProtectedModeWithoutPaging) {
  kvm_sregs sregs = pvh_sregs(reset_sregs());
  EXPECT_EQ(sregs.cr0, 0x11u);  // ET | PE
  EXPECT_EQ(sregs.cr3, 0u);
  EXPECT_EQ(sregs.cr4, 0u);
  EXPECT_EQ(sregs.efer, 0u);
  EXPECT_EQ(sregs.cs.selector, kCode32Selector);
  EXPECT_EQ(sregs.cs.db, 1);
  EXPECT_EQ(sregs.cs.l, 0);
  EXPECT_EQ(sregs.cs.base, 0u);
  EXPECT_EQ(sregs.cs.limit, 0xffff'ffffu);
  EXPECT_EQ(sregs.ss.selector, kDataSelector);
  EXPECT_EQ(sregs.tr.limit, 0x67u);  // pvh.rst
}

TEST(Registers, EntryRegisters) {
  kvm_regs regs = long_mode_regs(GuestAddress(0x100'0000), GuestAddress(kZeroPageStart));
  EXPECT_EQ(regs.rip, 0x100'0000u);
  EXPECT_EQ(regs.rsi, kZeroPageStart);
  EXPECT_EQ(regs.rflags, 2u);
  EXPECT_EQ(regs.rsp, kBootStackPointer);
  EXPECT_EQ(regs.rsp % 16, 0u);

  regs = pvh_regs(GuestAddress(0x100'0123), GuestAddress(kPvhStartInfoStart));
  EXPECT_EQ(regs.rip, 0x100'0123u);
  EXPECT_EQ(regs.rbx, kPvhStartInfoStart);
  EXPECT_EQ(regs.rflags, 2u);
}

TEST(Registers, BootFpu) {
  kvm_fpu fpu = boot_fpu();
  EXPECT_EQ(fpu.fcw, 0x37f);
  EXPECT_EQ(fpu.mxcsr, 0x1f80u);
  EXPECT_EQ(fpu.fsw, 0);
}

TEST(Msrs, BootValues) {
  std::vector<MsrEntry> msrs = boot_msrs();
  auto value_of = [&](uint32_t index) -> std::optional<uint64_t> {
    auto it = std::find_if(msrs.begin(), msrs.end(), [&](const MsrEntry& e) { return e.index == index; });
    return it == msrs.end() ? std::nullopt : std::optional(it->value);
  };
  EXPECT_EQ(value_of(0x1a0), 1u);      // IA32_MISC_ENABLE: fast strings
  EXPECT_EQ(value_of(0x2ff), 0x806u);  // MTRRdefType: enabled, write-back
  for (uint32_t zero :
       {0x174U, 0x175U, 0x176U, 0xc000'0081U, 0xc000'0082U, 0xc000'0083U, 0xc000'0084U, 0xc000'0102U}) {
    EXPECT_EQ(value_of(zero), 0u) << std::hex << zero;
  }
  EXPECT_EQ(value_of(0x10a), std::nullopt);  // ARCH_CAPABILITIES: never set
  EXPECT_EQ(value_of(0x10), std::nullopt);   // IA32_TSC: left to KVM
}

TEST(Lapic, VirtualWireModeSetsOnlyTheDeliveryModes) {
  kvm_lapic_state lapic{};
  set_lapic_register(lapic, kApicLvtLint0, 0x0001'0000);  // masked, as after reset
  set_lapic_register(lapic, kApicLvtLint1, 0x0001'0000);
  set_lapic_register(lapic, 0x320, 0x0001'00ef);  // LVT timer
  set_virtual_wire_mode(lapic);
  EXPECT_EQ(lapic_register(lapic, kApicLvtLint0), 0x0001'0700u);
  EXPECT_EQ(lapic_register(lapic, kApicLvtLint1), 0x0001'0400u);
  EXPECT_EQ(lapic_register(lapic, 0x320), 0x0001'00efu);
}

TEST(Lapic, RegistersAreLittleEndianAtTheirOffsets) {
  kvm_lapic_state lapic{};
  set_lapic_register(lapic, kApicLvtLint0, 0x1234'5678);
  EXPECT_EQ(static_cast<uint8_t>(lapic.regs[0x350]), 0x78);
  EXPECT_EQ(static_cast<uint8_t>(lapic.regs[0x353]), 0x12);
}

}  // namespace
}  // namespace vmm::x86_64
