// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Builders of small, valid kernel images for the loader tests (and the fuzz
// seeds), plus helpers to corrupt them field by field.
#pragma once

#include <asm/bootparam.h>
#include <elf.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include <vmm/memory/guest_memory.hpp>

namespace vmm::test {

inline constexpr uint64_t kMiB = 1 << 20;
inline constexpr uint64_t kKernelPhys = 16 * kMiB;  // where vmlinux is linked to run
inline constexpr uint64_t kKernelVirt = 0xffff'ffff'8100'0000;

using Bytes = std::vector<uint8_t>;

// Guest RAM of the given regions (start, size); the test fails if it cannot be mapped.
GuestMemory make_memory(std::initializer_list<RegionSpec> regions);
GuestMemory make_memory(uint64_t size);
// Bytes read back from guest memory (test fails on error).
Bytes read_guest(const GuestMemory& memory, uint64_t addr, uint64_t len);
// A recognisable byte pattern, different per `seed`.
Bytes pattern(size_t size, uint8_t seed);

// Reads a trivially copyable T at `offset`, lets `change` modify it, writes it back.
template <typename T, typename F>
void modify(Bytes& bytes, size_t offset, F change) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  change(value);
  std::memcpy(bytes.data() + offset, &value, sizeof(T));
}

// ---- ELF ----------------------------------------------------------------

struct ElfSegment {
  uint32_t type = PT_LOAD;
  uint64_t paddr = 0;
  uint64_t vaddr = 0;
  Bytes data;
  uint64_t memsz = 0;  // 0: data.size()
  uint64_t align = 0x1000;
};

struct ElfSpec {
  uint64_t entry = 0;
  std::vector<ElfSegment> segments;
};

// Layout: Elf64_Ehdr at 0, the program headers at 64, then each segment's
// data in order, 16-byte aligned. The last byte of the file is segment data.
Bytes make_elf(const ElfSpec& spec);
inline size_t phdr_offset(size_t index) { return sizeof(Elf64_Ehdr) + index * sizeof(Elf64_Phdr); }

// One ELF note; namesz counts the NUL, name and desc padded to `align`.
Bytes make_note(std::string_view name, uint32_t type, std::span<const uint8_t> desc, size_t align = 4);
// XEN_ELFNOTE_PHYS32_ENTRY with an 8-byte descriptor, as Linux emits it.
Bytes pvh_note(uint64_t entry);

// A vmlinux-like image: .text (0x3000 bytes of pattern 1) at virtual
// kKernelVirt / physical kKernelPhys, .data (0x100 bytes of pattern 2) plus
// 0x1f00 bytes of .bss right after it, a PT_NOTE with a GNU note and the PVH
// note (entry kKernelPhys + 0x80); e_entry is physical kKernelPhys + 0x40.
ElfSpec linux_like_elf();

// ---- bzImage -------------------------------------------------------------

struct BzImageSpec {
  uint16_t version = 0x020f;
  uint8_t setup_sects = 4;  // as stored: 0 means 4
  uint8_t loadflags = LOADED_HIGH;
  uint16_t xloadflags = XLF_KERNEL_64;
  uint8_t relocatable_kernel = 1;
  uint32_t kernel_alignment = 0x20'0000;
  uint64_t pref_address = 0x100'0000;
  uint32_t init_size = 0x80'0000;
  uint32_t initrd_addr_max = 0x7fff'ffff;
  uint32_t cmdline_size = 2047;
  size_t code_size = 0x2000;  // protected-mode code, a multiple of 16 (syssize)
};

inline constexpr size_t kSetupHeaderOffset = 0x1f1;
// Image: boot sector + setup sectors with the setup header at 0x1f1, then
// code_size bytes of pattern 3 (the protected-mode kernel).
Bytes make_bzimage(const BzImageSpec& spec);
inline size_t bz_setup_size(const BzImageSpec& spec) {
  return (spec.setup_sects == 0 ? 5u : spec.setup_sects + 1u) * 512;
}
setup_header read_header(const Bytes& image);

}  // namespace vmm::test
