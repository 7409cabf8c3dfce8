// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <vmm/arch/boot_params.hpp>
#include <vmm/arch/e820.hpp>
#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>

// The PVH boot ABI (Xen docs/misc/pvh.rst; structures from Xen's public
// header arch-x86/hvm/start_info.h, which is not part of the Linux UAPI, so
// they are defined here). %ebx holds the physical address of HvmStartInfo.
// All addresses are guest-physical; 0 means "not present".
namespace vmm::x86_64 {

inline constexpr uint32_t kHvmStartMagic = 0x336ec578;  // "xEn3" with 0x80 set in 'E'
inline constexpr uint32_t kHvmStartInfoVersion = 1;     // version 1 adds the memory map

struct HvmStartInfo {
  uint32_t magic;
  uint32_t version;
  uint32_t flags;  // SIF_* flags; none apply outside Xen
  uint32_t nr_modules;
  uint64_t modlist_paddr;  // array of HvmModlistEntry
  uint64_t cmdline_paddr;  // NUL-terminated
  uint64_t rsdp_paddr;     // ACPI RSDP; 0: the guest scans for it
  uint64_t memmap_paddr;   // array of HvmMemmapTableEntry (version 1)
  uint32_t memmap_entries;
  uint32_t reserved;  // must be zero
};

struct HvmModlistEntry {
  uint64_t paddr;
  uint64_t size;
  uint64_t cmdline_paddr;
  uint64_t reserved;
};

struct HvmMemmapTableEntry {
  uint64_t addr;
  uint64_t size;
  uint32_t type;  // XEN_HVM_MEMMAP_TYPE_*: the e820 values (E820Type)
  uint32_t reserved;
};

static_assert(sizeof(HvmStartInfo) == 56);
static_assert(offsetof(HvmStartInfo, modlist_paddr) == 16);
static_assert(offsetof(HvmStartInfo, cmdline_paddr) == 24);
static_assert(offsetof(HvmStartInfo, rsdp_paddr) == 32);
static_assert(offsetof(HvmStartInfo, memmap_paddr) == 40);
static_assert(offsetof(HvmStartInfo, memmap_entries) == 48);
static_assert(sizeof(HvmModlistEntry) == 32);
static_assert(sizeof(HvmMemmapTableEntry) == 24);
static_assert(offsetof(HvmMemmapTableEntry, type) == 16);

struct PvhSpec {
  GuestAddress cmdline;               // NUL-terminated command line
  std::optional<InitrdRange> initrd;  // passed as the one module
  std::span<const E820Entry> memmap;  // from build_e820()
  GuestAddress rsdp;                  // 0 until vmmkit writes ACPI tables
};

// The start_info for `spec` as it is written at kPvhStartInfoStart (module
// list at kPvhModlistStart, memory map at kPvhMemmapStart).
[[nodiscard]] VMM_API HvmStartInfo build_pvh_start_info(const PvhSpec& spec);

// Writes start_info, the module list and the memory map (at most
// kPvhMemmapMaxEntries entries). The %ebx value of the PVH entry is
// kPvhStartInfoStart.
VMM_API Result<void> write_pvh_start_info(GuestMemory& memory, const PvhSpec& spec);

}  // namespace vmm::x86_64
