// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "elf_notes.hpp"

#include <cstring>
#include <string>

#include <vmm/base/bytes.hpp>
#include <vmm/loader/error.hpp>

#include "text.hpp"

namespace vmm {
namespace {


// Xen's public/elfnote.h: the PVH entry is note type 18 of owner "Xen". The
// descriptor is a 32-bit physical address; Linux emits it widened to 64
// bits, little endian, so its first 4 bytes are the address either way.
constexpr char kXenNoteName[] = "Xen";  // namesz 4, including the NUL
constexpr uint32_t kXenElfnotePhys32Entry = 18;

// One note's place inside its segment (ELF gABI, "Note Section").
struct NoteView {
  Elf64_Nhdr header;
  uint64_t name_offset;
  uint64_t desc_offset;
  uint64_t next_offset;  // the following note, after padding
};

std::string note_context(size_t phdr_index, uint64_t offset) {
  return "ELF: program header " + std::to_string(phdr_index) + " (PT_NOTE): note at offset " + hex(offset);
}

// Reads the note at `offset`. Name and descriptor are padded to `align`
// (4, or 8 for segments with p_align 8); the last note may omit its padding.
// Sizes are 32-bit and offsets start inside a host buffer, so the 64-bit
// sums below cannot overflow.
Result<NoteView> read_note(std::span<const uint8_t> notes, uint64_t offset, uint64_t align,
                           size_t phdr_index) {
  const Elf64_Nhdr header = *load_struct<Elf64_Nhdr>(notes, offset);  // caller checked 12 bytes remain
  const uint64_t name_offset = offset + sizeof(Elf64_Nhdr);
  const uint64_t desc_offset = name_offset + *align_up(header.n_namesz, align);
  const uint64_t desc_end = desc_offset + header.n_descsz;
  if (desc_end > notes.size()) {
    return Error(LoaderErrc::kInvalidNote, note_context(phdr_index, offset) + " (namesz " +
                                               hex(header.n_namesz) + ", descsz " + hex(header.n_descsz) +
                                               ") overruns the " + std::to_string(notes.size()) +
                                               "-byte segment");
  }
  const uint64_t next_offset =
      std::min<uint64_t>(desc_offset + *align_up(header.n_descsz, align), notes.size());
  return NoteView{header, name_offset, desc_offset, next_offset};
}

bool is_pvh_note(std::span<const uint8_t> notes, const NoteView& note) {
  return note.header.n_type == kXenElfnotePhys32Entry && note.header.n_namesz == sizeof(kXenNoteName) &&
         std::memcmp(notes.data() + note.name_offset, kXenNoteName, sizeof(kXenNoteName)) == 0;
}

// Each iteration advances by at least the 12-byte note header, so the walk
// ends after at most size / 12 notes.
Result<std::optional<uint32_t>> pvh_entry_in_segment(std::span<const uint8_t> notes, uint64_t align,
                                                     size_t phdr_index) {
  std::optional<uint32_t> entry;
  uint64_t offset = 0;
  while (notes.size() - offset >= sizeof(Elf64_Nhdr)) {
    VMM_TRY_ASSIGN(const NoteView note, read_note(notes, offset, align, phdr_index));
    if (!entry && is_pvh_note(notes, note)) {
      entry = load_le<uint32_t>(notes.subspan(note.desc_offset, note.header.n_descsz), 0);
      if (!entry) {
        return Error(LoaderErrc::kInvalidNote, note_context(phdr_index, offset) + ": PVH entry descsz " +
                                                   std::to_string(note.header.n_descsz) +
                                                   " is under 4 bytes");
      }
    }
    offset = note.next_offset;
  }
  return entry;
}

}  // namespace

Result<std::optional<uint32_t>> find_pvh_entry(std::span<const uint8_t> image,
                                               std::span<const Elf64_Phdr> phdrs) {
  for (size_t i = 0; i < phdrs.size(); ++i) {
    const Elf64_Phdr& ph = phdrs[i];
    if (ph.p_type != PT_NOTE) continue;
    auto end = checked_add<uint64_t>(ph.p_offset, ph.p_filesz);
    if (!end || *end > image.size()) {
      return Error(LoaderErrc::kTruncated, "ELF: program header " + std::to_string(i) + " (PT_NOTE): bytes " +
                                               loader_text::range(ph.p_offset, ph.p_filesz) +
                                               " are outside the " + std::to_string(image.size()) +
                                               "-byte file");
    }
    const uint64_t align = ph.p_align == 8 ? 8 : 4;
    VMM_TRY_ASSIGN(const std::optional<uint32_t> entry,
                   pvh_entry_in_segment(image.subspan(ph.p_offset, ph.p_filesz), align, i));
    if (entry) return entry;
  }
  return std::optional<uint32_t>{};
}

}  // namespace vmm
