// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <asm/bootparam.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <vmm/arch/e820.hpp>
#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>

namespace vmm::x86_64 {

// Where a ramdisk (initrd) was loaded.
struct InitrdRange {
  GuestAddress address;
  uint64_t size = 0;
};

// What the zero page describes (Documentation/arch/x86/boot.rst, zero-page.rst).
struct BootParamsSpec {
  // The bzImage's setup header (vmm::LoadedKernel::header: the image bytes
  // from 0x1f1, with the loader-written fields set). nullopt for an ELF
  // vmlinux: then a minimal header is synthesized.
  std::optional<setup_header> header;
  GuestAddress cmdline;      // NUL-terminated command line in guest memory
  uint32_t cmdline_len = 0;  // its length without the NUL
  std::optional<InitrdRange> initrd;
  std::span<const E820Entry> e820;  // from build_e820()
  // The ACPI RSDP, stored in boot_params.acpi_rsdp_addr (zero-page.rst,
  // offset 0x070) so the kernel need not scan for it; nullopt leaves 0.
  std::optional<GuestAddress> rsdp;
};

// Boot protocol version claimed for an ELF vmlinux, which has no header:
// 2.12, the first with the ext_* high address halves we fill (Linux's own PVH
// entry claims the same in arch/x86/platform/pvh/enlighten.c).
inline constexpr uint16_t kElfBootProtocolVersion = 0x020c;

// Builds the zero page: the header (given or synthesized), then the fields
// boot.rst says the loader fills: type_of_loader = 0xff (undefined),
// vid_mode = 0xffff (normal), cmd_line_ptr/ext_cmd_line_ptr,
// ramdisk_image/size and their ext_* halves, and the e820 table. Checks the
// header's magic, the command-line length against hdr.cmdline_size, and that
// addresses above 4 GiB only go to kernels with protocol 2.12+.
VMM_API Result<boot_params> build_boot_params(const BootParamsSpec& spec);

// build_boot_params, written to kZeroPageStart (all 4 KiB, so stale bytes
// never survive). The %rsi value of the 64-bit entry.
VMM_API Result<void> write_boot_params(GuestMemory& memory, const BootParamsSpec& spec);

// Writes `text` and a NUL at kCmdlineStart; text + NUL must fit in
// kCmdlineMaxSize. (The kernel's own, smaller limit is checked by
// build_boot_params.)
VMM_API Result<void> write_cmdline(GuestMemory& memory, std::string_view text);

}  // namespace vmm::x86_64
