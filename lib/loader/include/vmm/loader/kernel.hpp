// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <asm/bootparam.h>

#include <cstdint>
#include <optional>
#include <span>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/loader/error.hpp>
#include <vmm/memory/guest_address.hpp>
#include <vmm/memory/guest_memory.hpp>

namespace vmm {

// Where a kernel image landed in guest memory and how to enter it. The
// loaders only validate and copy; boot_params, page tables and registers are
// the arch code's job.
struct LoadedKernel {
  enum class Format { kElf, kBzImage };
  Format format = Format::kElf;
  GuestAddress load_address;  // lowest byte written
  // One past the highest byte the kernel occupies: ELF p_paddr + p_memsz,
  // bzImage load address + max(init_size, protected-mode code size).
  GuestAddress end;
  // Linux 64-bit boot protocol entry (boot.rst "64-bit Boot Protocol"): the
  // ELF e_entry as a physical address, or the bzImage load address + 0x200.
  GuestAddress entry64;
  // PVH entry (32-bit protected mode, paging off) from the ELF note
  // XEN_ELFNOTE_PHYS32_ENTRY, when the vmlinux has one.
  std::optional<GuestAddress> pvh_entry;
  // bzImage only: the setup header to copy into boot_params.hdr, with the
  // fields a boot loader writes already set (type_of_loader, code32_start,
  // heap_end_ptr). cmd_line_ptr and the ramdisk fields are left to the caller.
  std::optional<setup_header> header;
};

// Lowest address a kernel may be loaded at: below it live the real-mode
// area, boot_params, the command line and the boot page tables.
inline constexpr uint64_t kKernelMinLoadAddress = 0x10'0000;  // 1 MiB

// Loads an ELF64 x86-64 vmlinux: every PT_LOAD at its physical address
// (p_paddr), memsz beyond filesz zeroed.
VMM_API Result<LoadedKernel> load_elf(GuestMemory& memory, std::span<const uint8_t> image);

// Loads the protected-mode part of a bzImage (boot protocol 2.06+ with
// XLF_KERNEL_64) at its preferred or lowest suitably aligned address.
VMM_API Result<LoadedKernel> load_bzimage(GuestMemory& memory, std::span<const uint8_t> image);

// Detects the format (ELF magic or the bzImage "HdrS" signature) and loads it.
VMM_API Result<LoadedKernel> load_kernel(GuestMemory& memory, std::span<const uint8_t> image);

}  // namespace vmm
