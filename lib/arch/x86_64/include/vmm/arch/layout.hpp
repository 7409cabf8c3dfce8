// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

#include <vmm/memory/guest_memory.hpp>

// Where vmmkit puts things in an x86-64 guest's physical memory. Everything
// the VMM writes before the first instruction lives below 1 MiB; the kernel
// is loaded from 1 MiB up (vmm::kKernelMinLoadAddress), the initrd high in
// the first RAM region. RAM regions come from GuestMemory: [0, 3 GiB) and,
// for larger guests, [4 GiB, ...) above the 32-bit MMIO hole
// (vmm::kMmioHoleStart .. vmm::kMmioHoleEnd).
//
//   0x0000_0000  real-mode IVT and BIOS data area (RAM, unused)
//   0x0000_0500  GDT                       (kGdtStart, 6 descriptors)
//   0x0000_0540  IDT, one zero entry       (kIdtStart)
//   0x0000_6000  PVH hvm_start_info        (kPvhStartInfoStart)
//   0x0000_6040  PVH module list           (kPvhModlistStart, one module)
//   0x0000_6080  PVH memory map            (kPvhMemmapStart, up to 128 entries)
//   0x0000_7000  boot_params, "zero page"  (kZeroPageStart, 4 KiB)
//   0x0000_8ff0  initial stack pointer     (kBootStackPointer, grows down)
//   0x0000_9000  PML4, PDPT, PD            (identity map of the first 1 GiB)
//   0x0002_0000  kernel command line       (kCmdlineStart, up to 64 KiB)
//   0x0009_fc00  EBDA: MP table            (kEbdaStart .. kLegacyAreaStart)
//   0x000a_0000  VGA, option ROM and BIOS area: reserved, not RAM for the guest
//   0x000e_0000  ACPI tables, RSDP first   (kAcpiTablesStart .. kHighMemoryStart)
//   0x0010_0000  kernel                    (kHighMemoryStart)
//   0xfec0_0000  IOAPIC,  0xfee0_0000 LAPIC (inside the MMIO hole)
//   0xfeff_c000  KVM identity-map page + TSS (Intel real-mode emulation), reserved
namespace vmm::x86_64 {

inline constexpr uint64_t kPageSize = 0x1000;

// GDT of the boot CPU (see gdt.hpp). 0x500 is the first byte after the BIOS
// data area, conventionally free.
inline constexpr uint64_t kGdtStart = 0x500;
// One all-zero (not present) 16-byte gate: no handlers at boot; the kernel
// installs its own IDT before enabling interrupts. After the GDT's 48 bytes.
inline constexpr uint64_t kIdtStart = 0x540;
inline constexpr uint64_t kIdtSize = 16;

// PVH boot (Xen arch-x86/hvm/start_info.h, version 1): the start_info
// structure, the module list (the initrd) and the memory map.
inline constexpr uint64_t kPvhStartInfoStart = 0x6000;
inline constexpr uint64_t kPvhModlistStart = 0x6040;
inline constexpr uint64_t kPvhMemmapStart = 0x6080;
// As many entries as the zero page's e820 table; 128 * 24 bytes ends at
// 0x6c80, below the zero page.
inline constexpr uint64_t kPvhMemmapMaxEntries = 128;

// struct boot_params (Documentation/arch/x86/zero-page.rst), 4 KiB.
inline constexpr uint64_t kZeroPageStart = 0x7000;

// Initial %rsp: a 16-byte aligned stack in the free page between the zero
// page and the page tables. Linux switches to its own stack at once.
inline constexpr uint64_t kBootStackPointer = 0x8ff0;

// Boot page tables (see paging.hpp): one page each.
inline constexpr uint64_t kPml4Start = 0x9000;
inline constexpr uint64_t kPdptStart = 0xa000;
inline constexpr uint64_t kPdStart = 0xb000;
// The identity map covers [0, 1 GiB) with 2 MiB pages: the 64-bit boot
// protocol needs the kernel, boot_params and the command line mapped.
inline constexpr uint64_t kIdentityMapSize = 1ULL << 30;

// Kernel command line, NUL-terminated. The kernel's own limit
// (setup_header.cmdline_size, 2048 bytes for most x86-64 kernels) is smaller.
inline constexpr uint64_t kCmdlineStart = 0x20000;
inline constexpr uint64_t kCmdlineMaxSize = 0x10000;

// Extended BIOS data area: the last KiB below 640 KiB. Linux scans it for
// the MP floating pointer (MP spec 1.4, 4: "first kilobyte of the EBDA",
// which Linux also finds as "the last KiB of base memory").
inline constexpr uint64_t kEbdaStart = 0x9fc00;
inline constexpr uint64_t kMpTableStart = kEbdaStart;
// End of conventional memory: 0xa0000 .. 1 MiB is the legacy VGA/ROM area,
// reserved in the e820 map (ACPI tables may go there later).
inline constexpr uint64_t kLegacyAreaStart = 0xa0000;
inline constexpr uint64_t kMpTableEnd = kLegacyAreaStart;
// ACPI tables: the RSDP at the start of the BIOS area, which Linux scans
// on 16-byte boundaries when the boot protocol does not pass the RSDP
// (ACPI 6.5, 5.2.5.1). Reserved in e820 with the rest of the legacy area.
inline constexpr uint64_t kAcpiTablesStart = 0xe0000;
inline constexpr uint64_t kAcpiTablesSize = 0x20000;

// 1 MiB: the kernel goes here or above (vmm::kKernelMinLoadAddress).
inline constexpr uint64_t kHighMemoryStart = 0x100000;
static_assert(kAcpiTablesStart + kAcpiTablesSize == kHighMemoryStart);

// Pages KVM needs on Intel hosts for real-mode emulation
// (KVM_SET_IDENTITY_MAP_ADDR: 1 page, then KVM_SET_TSS_ADDR: 3 pages), in the
// MMIO hole below the BIOS flash area, where QEMU places them. Reserved in
// e820 so the guest never puts a PCI window there.
inline constexpr uint64_t kKvmIdentityMapStart = 0xfeffc000;
inline constexpr uint64_t kKvmTssStart = kKvmIdentityMapStart + kPageSize;
inline constexpr uint64_t kKvmReservedSize = 4 * kPageSize;

// Interrupt controllers (Linux asm/apicdef.h defaults; KVM's in-kernel
// irqchip decodes them there).
inline constexpr uint64_t kIoapicStart = 0xfec00000;
inline constexpr uint64_t kLapicStart = 0xfee00000;

static_assert(kGdtStart + 6 * 8 <= kIdtStart);
static_assert(kPvhMemmapStart + kPvhMemmapMaxEntries * 24 <= kZeroPageStart);
static_assert(kKvmIdentityMapStart > kLapicStart + kPageSize &&
              kKvmIdentityMapStart + kKvmReservedSize <= kMmioHoleEnd);

}  // namespace vmm::x86_64
