// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "test_images.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace vmm::test {
namespace {

size_t align16(size_t value) { return (value + 15) & ~size_t{15}; }

template <typename T>
void put(Bytes& bytes, size_t offset, const T& value) {
  std::memcpy(bytes.data() + offset, &value, sizeof(T));
}

Elf64_Ehdr elf_header(const ElfSpec& spec) {
  Elf64_Ehdr header{};
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = ELFCLASS64;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_type = ET_EXEC;
  header.e_machine = EM_X86_64;
  header.e_version = EV_CURRENT;
  header.e_entry = spec.entry;
  header.e_phoff = sizeof(Elf64_Ehdr);
  header.e_ehsize = sizeof(Elf64_Ehdr);
  header.e_phentsize = sizeof(Elf64_Phdr);
  header.e_phnum = static_cast<uint16_t>(spec.segments.size());
  return header;
}

}  // namespace

GuestMemory make_memory(std::initializer_list<RegionSpec> regions) {
  auto memory = GuestMemory::create(std::vector<RegionSpec>(regions));
  if (!memory) {
    ADD_FAILURE() << memory.error().message();
    std::abort();
  }
  return std::move(memory).value();
}

GuestMemory make_memory(uint64_t size) { return make_memory({RegionSpec{GuestAddress(0), size}}); }

Bytes read_guest(const GuestMemory& memory, uint64_t addr, uint64_t len) {
  Bytes out(len);
  auto result = memory.read(GuestAddress(addr), out);
  EXPECT_TRUE(result.ok()) << result.error().message();
  return out;
}

Bytes pattern(size_t size, uint8_t seed) {
  Bytes bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 7 + seed * 31 + 1);
  return bytes;
}

Bytes make_elf(const ElfSpec& spec) {
  size_t offset = align16(phdr_offset(spec.segments.size()));
  std::vector<size_t> data_offsets;
  for (const ElfSegment& segment : spec.segments) {
    data_offsets.push_back(offset);
    offset = align16(offset + segment.data.size());
  }
  const size_t last_end =
      spec.segments.empty() ? phdr_offset(0) : data_offsets.back() + spec.segments.back().data.size();
  Bytes image(std::max(last_end, phdr_offset(spec.segments.size())));
  put(image, 0, elf_header(spec));
  for (size_t i = 0; i < spec.segments.size(); ++i) {
    const ElfSegment& segment = spec.segments[i];
    Elf64_Phdr phdr{};
    phdr.p_type = segment.type;
    phdr.p_flags = PF_R | PF_X;
    phdr.p_offset = data_offsets[i];
    phdr.p_vaddr = segment.vaddr;
    phdr.p_paddr = segment.paddr;
    phdr.p_filesz = segment.data.size();
    phdr.p_memsz = segment.memsz != 0 ? segment.memsz : segment.data.size();
    phdr.p_align = segment.align;
    put(image, phdr_offset(i), phdr);
    std::copy(segment.data.begin(), segment.data.end(),
              image.begin() + static_cast<ptrdiff_t>(data_offsets[i]));
  }
  return image;
}

Bytes make_note(std::string_view name, uint32_t type, std::span<const uint8_t> desc, size_t align) {
  const size_t namesz = name.size() + 1;
  const size_t name_padded = (namesz + align - 1) / align * align;
  const size_t desc_padded = (desc.size() + align - 1) / align * align;
  Bytes note(sizeof(Elf64_Nhdr) + name_padded + desc_padded);
  const Elf64_Nhdr header{static_cast<uint32_t>(namesz), static_cast<uint32_t>(desc.size()), type};
  put(note, 0, header);
  std::memcpy(note.data() + sizeof(Elf64_Nhdr), name.data(), name.size());
  std::copy(desc.begin(), desc.end(),
            note.begin() + static_cast<ptrdiff_t>(sizeof(Elf64_Nhdr) + name_padded));
  return note;
}

Bytes pvh_note(uint64_t entry) {
  Bytes desc(8);
  std::memcpy(desc.data(), &entry, sizeof(entry));
  return make_note("Xen", 18, desc);
}

ElfSpec linux_like_elf() {
  const Bytes build_id = pattern(20, 9);
  Bytes notes = make_note("GNU", NT_GNU_BUILD_ID, build_id);
  const Bytes pvh = pvh_note(kKernelPhys + 0x80);
  notes.insert(notes.end(), pvh.begin(), pvh.end());

  ElfSpec spec;
  spec.entry = kKernelPhys + 0x40;
  spec.segments.push_back({PT_LOAD, kKernelPhys, kKernelVirt, pattern(0x3000, 1), 0, 0x20'0000});
  spec.segments.push_back(
      {PT_LOAD, kKernelPhys + 0x3000, kKernelVirt + 0x3000, pattern(0x100, 2), 0x2000, 0x1000});
  spec.segments.push_back({PT_NOTE, 0, 0, notes, 0, 4});
  return spec;
}

Bytes make_bzimage(const BzImageSpec& spec) {
  const size_t setup_size = bz_setup_size(spec);
  Bytes image(setup_size + spec.code_size);
  setup_header header{};
  header.setup_sects = spec.setup_sects;
  header.syssize = static_cast<uint32_t>(spec.code_size / 16);
  header.boot_flag = 0xAA55;
  // "jump": 0xEB and the offset from 0x202 to the end of the header.
  header.jump = static_cast<uint16_t>(0xEB | ((kSetupHeaderOffset + sizeof(setup_header) - 0x202) << 8));
  header.header = 0x53726448;  // "HdrS"
  header.version = spec.version;
  header.loadflags = spec.loadflags;
  header.initrd_addr_max = spec.initrd_addr_max;
  header.kernel_alignment = spec.kernel_alignment;
  header.relocatable_kernel = spec.relocatable_kernel;
  header.min_alignment = 21;
  header.xloadflags = spec.xloadflags;
  header.cmdline_size = spec.cmdline_size;
  header.pref_address = spec.pref_address;
  header.init_size = spec.init_size;
  header.handover_offset = 0x190;
  header.kernel_info_offset = 0x1000;
  put(image, kSetupHeaderOffset, header);
  const Bytes code = pattern(spec.code_size, 3);
  std::copy(code.begin(), code.end(), image.begin() + static_cast<ptrdiff_t>(setup_size));
  return image;
}

setup_header read_header(const Bytes& image) {
  setup_header header;
  std::memcpy(&header, image.data() + kSetupHeaderOffset, sizeof(header));
  return header;
}

}  // namespace vmm::test
