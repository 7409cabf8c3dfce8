// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/registers.hpp>

#include <vmm/arch/gdt.hpp>
#include <vmm/arch/layout.hpp>

namespace vmm::x86_64 {
namespace {

// Segments, GDTR and IDTR shared by both entry modes; `code` picks CS.
void load_boot_segments(kvm_sregs& sregs, uint16_t code) {
  sregs.cs = boot_segment(code);
  kvm_segment data = boot_segment(kDataSelector);
  sregs.ds = data;
  sregs.es = data;
  sregs.fs = data;
  sregs.gs = data;
  sregs.ss = data;
  sregs.tr = boot_segment(kTssSelector);
  sregs.gdt.base = kGdtStart;
  sregs.gdt.limit = static_cast<uint16_t>(kGdtEntries * sizeof(uint64_t) - 1);
  sregs.idt.base = kIdtStart;
  sregs.idt.limit = static_cast<uint16_t>(kIdtSize - 1);
}

}  // namespace

kvm_sregs long_mode_sregs(const kvm_sregs& current) {
  kvm_sregs sregs = current;
  load_boot_segments(sregs, kCode64Selector);
  sregs.cr0 = kCr0Pe | kCr0Et | kCr0Ne | kCr0Pg;  // CD and NW clear: caches on
  sregs.cr3 = kPml4Start;
  sregs.cr4 = kCr4Pae;
  sregs.efer = kEferLme | kEferLma;
  return sregs;
}

kvm_sregs pvh_sregs(const kvm_sregs& current) {
  kvm_sregs sregs = current;
  load_boot_segments(sregs, kCode32Selector);
  sregs.cr0 = kCr0Pe | kCr0Et;
  sregs.cr3 = 0;
  sregs.cr4 = 0;
  sregs.efer = 0;
  return sregs;
}

kvm_regs long_mode_regs(GuestAddress entry, GuestAddress boot_params) {
  kvm_regs regs{};
  regs.rip = entry.value();
  regs.rsi = boot_params.value();
  regs.rsp = kBootStackPointer;
  regs.rflags = kBootRflags;
  return regs;
}

kvm_regs pvh_regs(GuestAddress entry32, GuestAddress start_info) {
  kvm_regs regs{};
  regs.rip = entry32.value();
  regs.rbx = start_info.value();
  regs.rsp = kBootStackPointer;
  regs.rflags = kBootRflags;
  return regs;
}

kvm_fpu boot_fpu() {
  kvm_fpu fpu{};
  fpu.fcw = kBootFcw;
  fpu.mxcsr = kBootMxcsr;
  return fpu;
}

}  // namespace vmm::x86_64
