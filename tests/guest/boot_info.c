// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "boot_info.h"

#include "arch.h"
#include "lib.h"
#include "paging.h"

// struct boot_params offsets (zero-page.rst) and setup_header offsets
// within it (boot.rst, "The Real-Mode Kernel Header").
enum {
  BP_ACPI_RSDP_ADDR = 0x070,
  BP_EXT_CMD_LINE_PTR = 0x0c8,
  BP_E820_ENTRIES = 0x1e8,
  BP_HDR_HEADER = 0x202,  // "HdrS"
  BP_HDR_VERSION = 0x206,
  BP_HDR_CMD_LINE_PTR = 0x228,
  BP_HDR_CMDLINE_SIZE = 0x238,
  BP_E820_TABLE = 0x2d0,
  BP_SIZE = 0x1000,
  BOOT_E820_ENTRY_SIZE = 20,  // packed {u64 addr, u64 size, u32 type}
};
#define HDRS_MAGIC 0x53726448u

// struct hvm_start_info and struct hvm_memmap_table_entry.
enum {
  PVH_MAGIC_OFF = 0,
  PVH_VERSION = 4,
  PVH_CMDLINE_PADDR = 24,
  PVH_RSDP_PADDR = 32,
  PVH_MEMMAP_PADDR = 40,
  PVH_MEMMAP_ENTRIES = 48,
  PVH_SIZE_V1 = 56,
  PVH_MEMMAP_ENTRY_SIZE = 24,  // {u64 addr, u64 size, u32 type, u32 reserved}
};
#define PVH_MAGIC 0x336ec578u  // XEN_HVM_START_MAGIC_VALUE

static uint8_t rd8(uint64_t a) { return *(const volatile uint8_t*)phys_ptr(a); }
static uint16_t rd16(uint64_t a) { return *(const volatile uint16_t*)phys_ptr(a); }
static uint32_t rd32(uint64_t a) { return *(const volatile uint32_t*)phys_ptr(a); }
static uint64_t rd64(uint64_t a) { return *(const volatile uint64_t*)phys_ptr(a); }

const char* boot_path_name(enum boot_path path) {
  switch (path) {
    case BOOT_PATH_LINUX64:
      return "the 64-bit boot protocol";
    case BOOT_PATH_LINUX32:
      return "the 32-bit boot protocol";
    case BOOT_PATH_PVH:
      return "PVH";
  }
  return "unknown entry";
}

static void fail(struct boot_info* bi, const char* what) {
  if (!bi->error) bi->error = what;
}

// Finds the NUL within the limit; the text is read in place.
static void read_cmdline(struct boot_info* bi, uint64_t addr) {
  bi->cmdline = "";
  bi->cmdline_addr = addr;
  if (addr == 0) {
    bi->cmdline_terminated = true;
    return;
  }
  if (!paging_map_range(addr, bi->cmdline_limit)) {
    fail(bi, "the command line address cannot be mapped");
    return;
  }
  const char* text = phys_ptr(addr);
  size_t len = str_nlen(text, bi->cmdline_limit);
  bi->cmdline = text;
  bi->cmdline_len = len;
  bi->cmdline_terminated = len < bi->cmdline_limit;
  if (!bi->cmdline_terminated) bi->cmdline_len = bi->cmdline_limit;
}

static void parse_boot_params(struct boot_info* bi, uint64_t bp) {
  if (!paging_map_range(bp, BP_SIZE)) {
    fail(bi, "boot_params cannot be mapped");
    return;
  }
  bi->rsdp_addr = rd64(bp + BP_ACPI_RSDP_ADDR);
  unsigned count = rd8(bp + BP_E820_ENTRIES);
  if (count > E820_MAX) {
    fail(bi, "boot_params e820_entries is over 128");
    count = E820_MAX;
  }
  for (unsigned i = 0; i < count; i++) {
    uint64_t e = bp + BP_E820_TABLE + (uint64_t)i * BOOT_E820_ENTRY_SIZE;
    bi->e820[i] = (struct e820_entry){.addr = rd64(e), .size = rd64(e + 8), .type = rd32(e + 16)};
  }
  bi->e820_count = count;
  if (count == 0) fail(bi, "boot_params has no e820 entries");

  // cmdline_size exists from protocol 2.06; before it the limit was 255
  // characters (boot.rst, "Details of Header Fields").
  bi->cmdline_limit = CMDLINE_DEFAULT_LIMIT;
  bi->cmdline_limit_from = "no setup header: guest default";
  if (rd32(bp + BP_HDR_HEADER) == HDRS_MAGIC) {
    bi->protocol = rd16(bp + BP_HDR_VERSION);
    uint32_t size = rd32(bp + BP_HDR_CMDLINE_SIZE);
    if (bi->protocol >= 0x206 && size != 0) {
      bi->cmdline_limit = (size_t)size + 1;
      bi->cmdline_limit_from = "setup header cmdline_size";
    } else if (bi->protocol < 0x206) {
      bi->cmdline_limit = 256;
      bi->cmdline_limit_from = "protocol before 2.06";
    } else {
      bi->cmdline_limit_from = "cmdline_size 0: guest default";
    }
  }
  uint64_t cmdline = rd32(bp + BP_HDR_CMD_LINE_PTR) | ((uint64_t)rd32(bp + BP_EXT_CMD_LINE_PTR) << 32);
  read_cmdline(bi, cmdline);
}

static void parse_pvh(struct boot_info* bi, uint64_t si) {
  bi->cmdline_limit = CMDLINE_DEFAULT_LIMIT;
  bi->cmdline_limit_from = "PVH: guest default";
  if (!paging_map_range(si, PVH_SIZE_V1)) {
    fail(bi, "hvm_start_info cannot be mapped");
    return;
  }
  if (rd32(si + PVH_MAGIC_OFF) != PVH_MAGIC) {
    fail(bi, "hvm_start_info magic is not 0x336ec578");
    return;
  }
  bi->pvh_version = rd32(si + PVH_VERSION);
  bi->rsdp_addr = rd64(si + PVH_RSDP_PADDR);
  // memmap_paddr and memmap_entries exist from version 1.
  unsigned count = bi->pvh_version >= 1 ? rd32(si + PVH_MEMMAP_ENTRIES) : 0;
  uint64_t map = bi->pvh_version >= 1 ? rd64(si + PVH_MEMMAP_PADDR) : 0;
  if (count > E820_MAX) {
    fail(bi, "hvm_start_info memmap has over 128 entries");
    count = E820_MAX;
  }
  if (count == 0 || map == 0) {
    fail(bi, "hvm_start_info has no memory map (version 0 or memmap_entries 0)");
    count = 0;
  } else if (!paging_map_range(map, (uint64_t)count * PVH_MEMMAP_ENTRY_SIZE)) {
    fail(bi, "the PVH memory map cannot be mapped");
    count = 0;
  }
  for (unsigned i = 0; i < count; i++) {
    uint64_t e = map + (uint64_t)i * PVH_MEMMAP_ENTRY_SIZE;
    bi->e820[i] = (struct e820_entry){.addr = rd64(e), .size = rd64(e + 8), .type = rd32(e + 16)};
  }
  bi->e820_count = count;
  read_cmdline(bi, rd64(si + PVH_CMDLINE_PADDR));
}

void boot_info_parse(struct boot_info* bi, enum boot_path path, uint64_t addr) {
  memset(bi, 0, sizeof(*bi));
  bi->path = path;
  bi->info_addr = addr;
  bi->cmdline = "";
  if (addr == 0) {
    fail(bi, "the boot structure pointer is 0");
    return;
  }
  if (path == BOOT_PATH_PVH) {
    parse_pvh(bi, addr);
  } else {
    parse_boot_params(bi, addr);
  }
}
