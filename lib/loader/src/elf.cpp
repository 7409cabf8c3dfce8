// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// ELF vmlinux loader (ELF-64 Object File Format 1.5; System V gABI "Program
// Header"). Every PT_LOAD is copied to its physical address p_paddr: a Linux
// vmlinux is linked at virtual 0xffffffff81000000 but placed at 16 MiB.
#include <elf.h>

#include <bit>
#include <cstring>
#include <string>
#include <vector>

#include <vmm/base/bytes.hpp>
#include <vmm/loader/kernel.hpp>

#include "elf_notes.hpp"
#include "image_format.hpp"
#include "text.hpp"

namespace vmm {
namespace {

using loader_text::range;

// The ELF structures are read with memcpy from a little-endian file.
static_assert(std::endian::native == std::endian::little, "the ELF loader assumes a little-endian host");

// __START_KERNEL_map: entries at or above it are kernel virtual addresses.
constexpr uint64_t kKernelVirtualBase = 0xffff'ffff'8000'0000;

Error elf_error(LoaderErrc code, const std::string& what) { return Error(code, "ELF: " + what); }

std::string phdr_name(size_t index) { return "program header " + std::to_string(index) + " (PT_LOAD)"; }

// ELF identification: a 64-bit little-endian x86-64 executable.
Result<void> check_identification(const Elf64_Ehdr& header) {
  const auto& ident = header.e_ident;
  if (ident[EI_CLASS] != ELFCLASS64) {
    return elf_error(LoaderErrc::kUnsupported,
                     "EI_CLASS " + std::to_string(ident[EI_CLASS]) + " is not ELFCLASS64");
  }
  if (ident[EI_DATA] != ELFDATA2LSB) {
    return elf_error(LoaderErrc::kUnsupported,
                     "EI_DATA " + std::to_string(ident[EI_DATA]) + " is not little endian");
  }
  if (header.e_machine != EM_X86_64) {
    return elf_error(LoaderErrc::kUnsupported,
                     "e_machine " + std::to_string(header.e_machine) + " is not x86-64");
  }
  if (header.e_type != ET_EXEC) {
    return elf_error(LoaderErrc::kUnsupported, "e_type " + std::to_string(header.e_type) + " is not ET_EXEC");
  }
  return ok();
}

// The shape of the program header table (its place is checked when it is read).
Result<void> check_program_header_shape(const Elf64_Ehdr& header) {
  if (header.e_phentsize != sizeof(Elf64_Phdr)) {
    return elf_error(LoaderErrc::kInvalidHeader, "e_phentsize " + std::to_string(header.e_phentsize) +
                                                     " is not " + std::to_string(sizeof(Elf64_Phdr)));
  }
  if (header.e_phnum == 0 || header.e_phnum == PN_XNUM) {
    return elf_error(LoaderErrc::kInvalidHeader, "e_phnum " + std::to_string(header.e_phnum) +
                                                     ": no (or an extended number of) program headers");
  }
  return ok();
}

Result<Elf64_Ehdr> parse_header(std::span<const uint8_t> image) {
  auto header = load_struct<Elf64_Ehdr>(image);
  if (!header) {
    return elf_error(LoaderErrc::kTruncated, "file is " + std::to_string(image.size()) +
                                                 " bytes, smaller than the 64-byte ELF header");
  }
  if (!has_elf_magic(image)) return elf_error(LoaderErrc::kBadMagic, "no \\x7fELF magic");
  VMM_TRY(check_identification(*header));
  VMM_TRY(check_program_header_shape(*header));
  return *header;
}

// The program header table, which must lie inside the file. e_phnum < 2^16
// and e_phentsize is 56, so the table size cannot overflow.
Result<std::vector<Elf64_Phdr>> parse_program_headers(std::span<const uint8_t> image,
                                                      const Elf64_Ehdr& header) {
  const uint64_t table_size = uint64_t{header.e_phnum} * sizeof(Elf64_Phdr);
  auto table_end = checked_add<uint64_t>(header.e_phoff, table_size);
  if (!table_end || *table_end > image.size()) {
    return elf_error(LoaderErrc::kTruncated, "program header table " + range(header.e_phoff, table_size) +
                                                 " is outside the " + std::to_string(image.size()) +
                                                 "-byte file");
  }
  std::vector<Elf64_Phdr> phdrs(header.e_phnum);
  std::memcpy(phdrs.data(), image.data() + header.e_phoff, table_size);
  return phdrs;
}

Result<void> check_load_segment(const GuestMemory& memory, std::span<const uint8_t> image,
                                const Elf64_Phdr& ph, size_t index) {
  auto file_end = checked_add<uint64_t>(ph.p_offset, ph.p_filesz);
  if (!file_end || *file_end > image.size()) {
    return elf_error(LoaderErrc::kTruncated, phdr_name(index) + ": file bytes " +
                                                 range(ph.p_offset, ph.p_filesz) + " are outside the " +
                                                 std::to_string(image.size()) + "-byte file");
  }
  if (ph.p_filesz > ph.p_memsz) {
    return elf_error(LoaderErrc::kInvalidHeader, phdr_name(index) + ": p_filesz " + hex(ph.p_filesz) +
                                                     " exceeds p_memsz " + hex(ph.p_memsz));
  }
  if (!checked_add<uint64_t>(ph.p_paddr, ph.p_memsz) ||
      !memory.contains_range(GuestAddress(ph.p_paddr), ph.p_memsz)) {
    return elf_error(LoaderErrc::kDoesNotFit, phdr_name(index) + " at " + range(ph.p_paddr, ph.p_memsz) +
                                                  " is outside guest RAM (which ends at " +
                                                  hex(memory.end().value()) + ")");
  }
  return ok();
}

// The PT_LOAD segments that occupy memory, each checked against the file and
// guest RAM before anything is written.
Result<std::vector<Elf64_Phdr>> checked_load_segments(const GuestMemory& memory,
                                                      std::span<const uint8_t> image,
                                                      std::span<const Elf64_Phdr> phdrs) {
  std::vector<Elf64_Phdr> loads;
  for (size_t i = 0; i < phdrs.size(); ++i) {
    if (phdrs[i].p_type != PT_LOAD || phdrs[i].p_memsz == 0) continue;
    VMM_TRY(check_load_segment(memory, image, phdrs[i], i));
    loads.push_back(phdrs[i]);
  }
  if (loads.empty()) return elf_error(LoaderErrc::kInvalidHeader, "no PT_LOAD segment with p_memsz > 0");
  return loads;
}

// Segments are checked: p_paddr + p_memsz does not wrap.
bool inside_physical(std::span<const Elf64_Phdr> loads, uint64_t addr) {
  for (const Elf64_Phdr& ph : loads) {
    if (addr >= ph.p_paddr && addr - ph.p_paddr < ph.p_memsz) return true;
  }
  return false;
}

// e_entry as a physical address inside a loaded segment. A kernel virtual
// entry is translated through the segment whose p_vaddr range holds it.
Result<GuestAddress> physical_entry(std::span<const Elf64_Phdr> loads, uint64_t entry) {
  if (entry >= kKernelVirtualBase) {
    for (const Elf64_Phdr& ph : loads) {
      if (entry >= ph.p_vaddr && entry - ph.p_vaddr < ph.p_memsz)
        return GuestAddress(entry - ph.p_vaddr + ph.p_paddr);
    }
    return elf_error(LoaderErrc::kInvalidHeader,
                     "virtual entry point " + hex(entry) + " is in no PT_LOAD segment");
  }
  if (!inside_physical(loads, entry)) {
    return elf_error(LoaderErrc::kInvalidHeader, "entry point " + hex(entry) + " is in no PT_LOAD segment");
  }
  return GuestAddress(entry);
}

Result<std::optional<GuestAddress>> checked_pvh_entry(std::span<const uint8_t> image,
                                                      std::span<const Elf64_Phdr> phdrs,
                                                      std::span<const Elf64_Phdr> loads) {
  VMM_TRY_ASSIGN(const std::optional<uint32_t> pvh, find_pvh_entry(image, phdrs));
  if (!pvh) return std::optional<GuestAddress>{};
  if (!inside_physical(loads, *pvh)) {
    return elf_error(LoaderErrc::kInvalidNote, "PVH entry point " + hex(*pvh) + " is in no PT_LOAD segment");
  }
  return std::optional<GuestAddress>(GuestAddress(*pvh));
}

Result<void> copy_segment(GuestMemory& memory, std::span<const uint8_t> image, const Elf64_Phdr& ph) {
  const GuestAddress start(ph.p_paddr);
  VMM_TRY(memory.write(start, image.subspan(ph.p_offset, ph.p_filesz)));
  if (ph.p_memsz > ph.p_filesz)
    VMM_TRY(memory.fill_zero(start.unchecked_add(ph.p_filesz), ph.p_memsz - ph.p_filesz));
  return ok();
}

LoadedKernel describe(std::span<const Elf64_Phdr> loads, GuestAddress entry,
                      std::optional<GuestAddress> pvh) {
  LoadedKernel kernel;
  kernel.format = LoadedKernel::Format::kElf;
  kernel.load_address = GuestAddress(loads.front().p_paddr);
  for (const Elf64_Phdr& ph : loads) {
    kernel.load_address = std::min(kernel.load_address, GuestAddress(ph.p_paddr));
    kernel.end = std::max(kernel.end, GuestAddress(ph.p_paddr + ph.p_memsz));
  }
  kernel.entry64 = entry;
  kernel.pvh_entry = pvh;
  return kernel;
}

}  // namespace

bool has_elf_magic(std::span<const uint8_t> image) {
  return image.size() >= SELFMAG && std::memcmp(image.data(), ELFMAG, SELFMAG) == 0;
}

Result<LoadedKernel> load_elf(GuestMemory& memory, std::span<const uint8_t> image) {
  VMM_TRY_ASSIGN(const Elf64_Ehdr header, parse_header(image));
  VMM_TRY_ASSIGN(const std::vector<Elf64_Phdr> phdrs, parse_program_headers(image, header));
  VMM_TRY_ASSIGN(const std::vector<Elf64_Phdr> loads, checked_load_segments(memory, image, phdrs));
  VMM_TRY_ASSIGN(const GuestAddress entry, physical_entry(loads, header.e_entry));
  VMM_TRY_ASSIGN(const std::optional<GuestAddress> pvh, checked_pvh_entry(image, phdrs, loads));
  for (const Elf64_Phdr& ph : loads) VMM_TRY(copy_segment(memory, image, ph));
  return describe(loads, entry, pvh);
}

}  // namespace vmm
