// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/loader/kernel.hpp>

#include "expect_error.hpp"
#include "test_images.hpp"

namespace vmm::test {
namespace {

class ElfLoaderTest : public ::testing::Test {
 protected:
  Result<LoadedKernel> load(const Bytes& image) { return load_elf(memory_, image); }
  GuestMemory memory_ = make_memory(64 * kMiB);
};

TEST_F(ElfLoaderTest, CopiesSegmentsToPhysicalAddressesAndZeroesBss) {
  const Bytes garbage(0x6000, 0xAA);
  ASSERT_TRUE(memory_.write(GuestAddress(kKernelPhys), garbage).ok());

  auto kernel = load(make_elf(linux_like_elf()));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->format, LoadedKernel::Format::kElf);
  EXPECT_EQ(kernel->load_address, GuestAddress(kKernelPhys));
  EXPECT_EQ(kernel->end, GuestAddress(kKernelPhys + 0x5000));
  EXPECT_EQ(kernel->entry64, GuestAddress(kKernelPhys + 0x40));
  EXPECT_FALSE(kernel->header.has_value());
  EXPECT_EQ(read_guest(memory_, kKernelPhys, 0x3000), pattern(0x3000, 1));
  EXPECT_EQ(read_guest(memory_, kKernelPhys + 0x3000, 0x100), pattern(0x100, 2));
  EXPECT_EQ(read_guest(memory_, kKernelPhys + 0x3100, 0x1f00), Bytes(0x1f00, 0));
  EXPECT_EQ(read_guest(memory_, kKernelPhys + 0x5000, 0x1000), Bytes(0x1000, 0xAA));  // past memsz: untouched
}

TEST_F(ElfLoaderTest, TranslatesVirtualEntryThroughItsSegment) {
  ElfSpec spec = linux_like_elf();
  spec.entry = kKernelVirt + 0x3010;
  auto kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->entry64, GuestAddress(kKernelPhys + 0x3010));
}

// Like Linux's .data..percpu: linked at virtual 0, loaded physically after .bss.
TEST_F(ElfLoaderTest, LoadsSegmentLinkedAtVirtualZero) {
  ElfSpec spec = linux_like_elf();
  spec.entry = kKernelVirt + 0x40;
  spec.segments.push_back({PT_LOAD, kKernelPhys + 0x5000, 0, pattern(0x80, 6), 0x1000, 0x1000});
  auto kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->entry64, GuestAddress(kKernelPhys + 0x40));
  EXPECT_EQ(kernel->end, GuestAddress(kKernelPhys + 0x6000));
  EXPECT_EQ(read_guest(memory_, kKernelPhys + 0x5000, 0x80), pattern(0x80, 6));
}

TEST_F(ElfLoaderTest, RejectsVirtualEntryOutsideEverySegment) {
  ElfSpec spec = linux_like_elf();
  spec.entry = kKernelVirt + 0x5000;  // just past .bss
  expect_error(load(make_elf(spec)), LoaderErrc::kInvalidHeader, {"virtual entry point 0xffffffff81005000"});
}

TEST_F(ElfLoaderTest, RejectsPhysicalEntryOutsideEverySegment) {
  ElfSpec spec = linux_like_elf();
  spec.entry = 0x1000;
  expect_error(load(make_elf(spec)), LoaderErrc::kInvalidHeader, {"entry point 0x1000"});
}

TEST_F(ElfLoaderTest, FindsPvhEntryAfterOtherNotes) {
  auto kernel = load(make_elf(linux_like_elf()));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->pvh_entry, GuestAddress(kKernelPhys + 0x80));
}

TEST_F(ElfLoaderTest, ReadsFourBytePvhDescriptor) {
  ElfSpec spec = linux_like_elf();
  const uint32_t entry = kKernelPhys + 0x100;
  spec.segments[2].data = make_note("Xen", 18, std::span(reinterpret_cast<const uint8_t*>(&entry), 4));
  auto kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->pvh_entry, GuestAddress(kKernelPhys + 0x100));
}

TEST_F(ElfLoaderTest, WalksNotesPaddedToEightBytes) {
  ElfSpec spec = linux_like_elf();
  Bytes notes = make_note("GNU", NT_GNU_PROPERTY_TYPE_0, pattern(12, 4), 8);
  const uint64_t entry = kKernelPhys + 0x200;
  const Bytes pvh = make_note("Xen", 18, std::span(reinterpret_cast<const uint8_t*>(&entry), 8), 8);
  notes.insert(notes.end(), pvh.begin(), pvh.end());
  spec.segments[2] = {PT_NOTE, 0, 0, notes, 0, 8};
  auto kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->pvh_entry, GuestAddress(kKernelPhys + 0x200));
}

TEST_F(ElfLoaderTest, NoPvhEntryWithoutTheXenNote) {
  ElfSpec spec = linux_like_elf();
  const uint64_t entry = kKernelPhys;
  Bytes notes =
      make_note("Xen", 1, std::span(reinterpret_cast<const uint8_t*>(&entry), 8));  // XEN_ELFNOTE_INFO
  const Bytes other_owner = make_note("Xe", 18, std::span(reinterpret_cast<const uint8_t*>(&entry), 8));
  notes.insert(notes.end(), other_owner.begin(), other_owner.end());
  spec.segments[2].data = notes;
  auto kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_FALSE(kernel->pvh_entry.has_value());

  spec.segments.pop_back();  // no PT_NOTE at all
  kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_FALSE(kernel->pvh_entry.has_value());
}

// Patches the first note header of the PT_NOTE segment (program header 2).
Bytes with_first_note(const ElfSpec& spec, uint32_t namesz, uint32_t descsz) {
  Bytes image = make_elf(spec);
  Elf64_Phdr note_phdr;
  std::memcpy(&note_phdr, image.data() + phdr_offset(2), sizeof(note_phdr));
  modify<Elf64_Nhdr>(image, note_phdr.p_offset, [&](Elf64_Nhdr& n) {
    n.n_namesz = namesz;
    n.n_descsz = descsz;
  });
  return image;
}

TEST_F(ElfLoaderTest, RejectsNotesThatOverrunTheSegment) {
  const ElfSpec spec = linux_like_elf();
  expect_error(load(with_first_note(spec, 0xffff'ffff, 20)), LoaderErrc::kInvalidNote,
               {"program header 2 (PT_NOTE)", "namesz 0xffffffff"});
  expect_error(load(with_first_note(spec, 4, 0xffff'fff0)), LoaderErrc::kInvalidNote, {"descsz 0xfffffff0"});
  expect_error(load(with_first_note(spec, 4, 1000)), LoaderErrc::kInvalidNote, {"overruns"});
}

TEST_F(ElfLoaderTest, RejectsShortPvhDescriptor) {
  ElfSpec spec = linux_like_elf();
  const Bytes two_bytes = {0x00, 0x10};
  spec.segments[2].data = make_note("Xen", 18, two_bytes);
  expect_error(load(make_elf(spec)), LoaderErrc::kInvalidNote, {"under 4 bytes"});
}

TEST_F(ElfLoaderTest, RejectsPvhEntryOutsideTheKernel) {
  ElfSpec spec = linux_like_elf();
  spec.segments[2].data = pvh_note(0x2000);
  expect_error(load(make_elf(spec)), LoaderErrc::kInvalidNote, {"PVH entry point 0x2000"});
}

TEST_F(ElfLoaderTest, RejectsNoteSegmentOutsideTheFile) {
  Bytes image = make_elf(linux_like_elf());
  modify<Elf64_Phdr>(image, phdr_offset(2), [](Elf64_Phdr& ph) { ph.p_offset = ~uint64_t{0} - 4; });
  expect_error(load(image), LoaderErrc::kTruncated, {"program header 2 (PT_NOTE)"});
}

TEST_F(ElfLoaderTest, RejectsEveryTruncation) {
  const Bytes image = make_elf(linux_like_elf());
  for (size_t size = 0; size < image.size(); ++size) {
    SCOPED_TRACE(size);
    expect_error(load_elf(memory_, std::span(image).first(size)), LoaderErrc::kTruncated);
  }
}

TEST_F(ElfLoaderTest, RejectsForeignIdentification) {
  const Bytes good = make_elf(linux_like_elf());
  auto with = [&](auto change) {
    Bytes image = good;
    modify<Elf64_Ehdr>(image, 0, change);
    return load(image);
  };
  expect_error(with([](Elf64_Ehdr& h) { h.e_ident[EI_MAG1] = 'X'; }), LoaderErrc::kBadMagic);
  expect_error(with([](Elf64_Ehdr& h) { h.e_ident[EI_CLASS] = ELFCLASS32; }), LoaderErrc::kUnsupported,
               {"EI_CLASS 1"});
  expect_error(with([](Elf64_Ehdr& h) { h.e_ident[EI_DATA] = ELFDATA2MSB; }), LoaderErrc::kUnsupported,
               {"EI_DATA"});
  expect_error(with([](Elf64_Ehdr& h) { h.e_machine = EM_386; }), LoaderErrc::kUnsupported, {"e_machine 3"});
  expect_error(with([](Elf64_Ehdr& h) { h.e_type = ET_DYN; }), LoaderErrc::kUnsupported, {"e_type 3"});
}

TEST_F(ElfLoaderTest, RejectsBadProgramHeaderTables) {
  const Bytes good = make_elf(linux_like_elf());
  auto with = [&](auto change) {
    Bytes image = good;
    modify<Elf64_Ehdr>(image, 0, change);
    return load(image);
  };
  expect_error(with([](Elf64_Ehdr& h) { h.e_phentsize = 32; }), LoaderErrc::kInvalidHeader,
               {"e_phentsize 32"});
  expect_error(with([](Elf64_Ehdr& h) { h.e_phnum = 0; }), LoaderErrc::kInvalidHeader, {"e_phnum 0"});
  expect_error(with([](Elf64_Ehdr& h) { h.e_phnum = PN_XNUM; }), LoaderErrc::kInvalidHeader);
  expect_error(with([](Elf64_Ehdr& h) { h.e_phnum = 0xfffe; }), LoaderErrc::kTruncated,
               {"program header table"});
  expect_error(with([&](Elf64_Ehdr& h) { h.e_phoff = good.size(); }), LoaderErrc::kTruncated);
  expect_error(with([](Elf64_Ehdr& h) { h.e_phoff = ~uint64_t{0} - 8; }), LoaderErrc::kTruncated, {"wraps"});
}

TEST_F(ElfLoaderTest, RejectsInconsistentLoadSegments) {
  const Bytes good = make_elf(linux_like_elf());
  auto with = [&](size_t index, auto change) {
    Bytes image = good;
    modify<Elf64_Phdr>(image, phdr_offset(index), change);
    return load(image);
  };
  expect_error(with(1, [](Elf64_Phdr& ph) { ph.p_filesz = ph.p_memsz + 1; }), LoaderErrc::kTruncated);
  expect_error(with(1, [](Elf64_Phdr& ph) { ph.p_memsz = ph.p_filesz - 1; }), LoaderErrc::kInvalidHeader,
               {"program header 1 (PT_LOAD)", "p_filesz 0x100 exceeds p_memsz 0xff"});
  expect_error(with(0, [&](Elf64_Phdr& ph) { ph.p_offset = good.size(); }), LoaderErrc::kTruncated,
               {"program header 0 (PT_LOAD)"});
  expect_error(with(0, [](Elf64_Phdr& ph) { ph.p_offset = ~uint64_t{0}; }), LoaderErrc::kTruncated,
               {"wraps"});
}

TEST_F(ElfLoaderTest, RejectsSegmentsOutsideGuestRam) {
  const Bytes good = make_elf(linux_like_elf());
  auto with = [&](auto change) {
    Bytes image = good;
    modify<Elf64_Phdr>(image, phdr_offset(1), change);
    return load(image);
  };
  expect_error(with([](Elf64_Phdr& ph) { ph.p_paddr = 64 * kMiB - 0x1000; }), LoaderErrc::kDoesNotFit,
               {"program header 1 (PT_LOAD) at [0x3fff000, 0x4001000)", "ends at 0x4000000"});
  expect_error(with([](Elf64_Phdr& ph) { ph.p_paddr = 1ull << 40; }), LoaderErrc::kDoesNotFit);
  expect_error(with([](Elf64_Phdr& ph) { ph.p_paddr = ~uint64_t{0} - 0xfff; }), LoaderErrc::kDoesNotFit,
               {"wraps past 2^64"});
}

TEST_F(ElfLoaderTest, WritesNothingWhenALaterSegmentIsBad) {
  Bytes image = make_elf(linux_like_elf());
  modify<Elf64_Phdr>(image, phdr_offset(1), [](Elf64_Phdr& ph) { ph.p_paddr = 1ull << 40; });
  expect_error(load(image), LoaderErrc::kDoesNotFit);
  EXPECT_EQ(read_guest(memory_, kKernelPhys, 0x3000), Bytes(0x3000, 0));
}

TEST_F(ElfLoaderTest, NeedsALoadSegmentWithMemory) {
  ElfSpec spec = linux_like_elf();
  spec.segments.erase(spec.segments.begin(), spec.segments.begin() + 2);
  expect_error(load(make_elf(spec)), LoaderErrc::kInvalidHeader, {"no PT_LOAD"});

  spec = linux_like_elf();
  spec.segments.push_back({PT_LOAD, 1ull << 40, 0, {}, 0, 0x1000});  // empty: skipped even outside RAM
  auto kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->end, GuestAddress(kKernelPhys + 0x5000));
}

TEST_F(ElfLoaderTest, LoadAddressIsTheLowestSegment) {
  ElfSpec spec = linux_like_elf();
  spec.segments.push_back({PT_LOAD, 2 * kMiB, 0, pattern(0x10, 5), 0x10, 0x1000});
  auto kernel = load(make_elf(spec));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->load_address, GuestAddress(2 * kMiB));
  EXPECT_EQ(kernel->end, GuestAddress(kKernelPhys + 0x5000));
  EXPECT_EQ(read_guest(memory_, 2 * kMiB, 0x10), pattern(0x10, 5));
}

}  // namespace
}  // namespace vmm::test
