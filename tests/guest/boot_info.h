// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// What the guest was given at entry, read from either boot structure into
// one form: Linux's struct boot_params (Documentation/arch/x86/zero-page.rst,
// boot.rst) or Xen's struct hvm_start_info (PVH, xen/include/public/
// arch-x86/hvm/start_info.h).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

enum boot_path {
  BOOT_PATH_LINUX64 = ENTRY_PATH_LINUX64,  // 64-bit boot protocol, RSI = boot_params
  BOOT_PATH_LINUX32 = ENTRY_PATH_LINUX32,  // 32-bit boot protocol, ESI = boot_params (also after setup16.S)
  BOOT_PATH_PVH = ENTRY_PATH_PVH,          // PVH, EBX = hvm_start_info
};

enum e820_type { E820_RAM = 1, E820_RESERVED = 2, E820_ACPI = 3, E820_NVS = 4, E820_UNUSABLE = 5 };

struct e820_entry {
  uint64_t addr;
  uint64_t size;
  uint32_t type;
};

#define E820_MAX 128  // E820_MAX_ENTRIES_ZEROPAGE
// The limit when nothing states one (PVH, or boot_params without a 2.06+
// header): the same as this guest's own setup header cmdline_size + 1.
#define CMDLINE_DEFAULT_LIMIT 4096

struct boot_info {
  enum boot_path path;
  uint64_t info_addr;  // boot_params or hvm_start_info
  struct e820_entry e820[E820_MAX];
  unsigned e820_count;
  uint64_t cmdline_addr;  // 0: none given
  const char* cmdline;    // always usable: "" when none was given
  size_t cmdline_len;     // bytes before the NUL (or up to the limit)
  size_t cmdline_limit;   // bytes allowed, NUL included
  const char* cmdline_limit_from;
  bool cmdline_terminated;  // a NUL lies within the limit
  uint16_t protocol;        // boot_params setup_header version; 0 if absent
  uint32_t pvh_version;
  uint64_t rsdp_addr;  // ACPI RSDP from acpi_rsdp_addr / rsdp_paddr; 0: not given
  const char* error;  // the first problem found, or NULL
};

void boot_info_parse(struct boot_info* bi, enum boot_path path, uint64_t addr);
const char* boot_path_name(enum boot_path path);
