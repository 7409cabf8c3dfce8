// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/loader/kernel.hpp>

#include "expect_error.hpp"
#include "test_images.hpp"

namespace vmm::test {
namespace {

class BzImageLoaderTest : public ::testing::Test {
 protected:
  Result<LoadedKernel> load(const Bytes& image) { return load_bzimage(memory_, image); }
  Result<LoadedKernel> load(const BzImageSpec& spec) { return load(make_bzimage(spec)); }
  // Loads with the header changed by `change`.
  template <typename F>
  Result<LoadedKernel> load_with(F change, const BzImageSpec& spec = {}) {
    Bytes image = make_bzimage(spec);
    modify<setup_header>(image, kSetupHeaderOffset, change);
    return load(image);
  }
  GuestMemory memory_ = make_memory(64 * kMiB);
};

TEST_F(BzImageLoaderTest, LoadsRelocatableKernelAtPrefAddress) {
  const BzImageSpec spec;
  auto kernel = load(spec);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->format, LoadedKernel::Format::kBzImage);
  EXPECT_EQ(kernel->load_address, GuestAddress(16 * kMiB));
  EXPECT_EQ(kernel->entry64, GuestAddress(16 * kMiB + 0x200));
  EXPECT_EQ(kernel->end, GuestAddress(16 * kMiB + spec.init_size));
  EXPECT_FALSE(kernel->pvh_entry.has_value());
  EXPECT_EQ(read_guest(memory_, 16 * kMiB, spec.code_size), pattern(spec.code_size, 3));
}

TEST_F(BzImageLoaderTest, ReturnsTheHeaderWithLoaderFieldsSet) {
  auto kernel = load(BzImageSpec{});
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  ASSERT_TRUE(kernel->header.has_value());
  // Fields are read as values (+x): setup_header is packed, references to its fields are misaligned.
  const setup_header& header = *kernel->header;
  EXPECT_EQ(+header.type_of_loader, 0xff);
  EXPECT_EQ(+header.code32_start, 16 * kMiB);
  EXPECT_EQ(+header.heap_end_ptr, 0xde00);
  EXPECT_EQ(+header.loadflags, LOADED_HIGH | CAN_USE_HEAP);
  EXPECT_EQ(+header.version, 0x020f);
  EXPECT_EQ(+header.cmdline_size, 2047u);
  EXPECT_EQ(+header.initrd_addr_max, 0x7fff'ffffu);
  EXPECT_EQ(+header.kernel_info_offset, 0x1000u);
  EXPECT_EQ(+header.cmd_line_ptr, 0u);
  EXPECT_EQ(+header.ramdisk_image, 0u);
}

TEST_F(BzImageLoaderTest, ZeroesHeaderFieldsPastTheJumpEnd) {
  // A header ending at 0x264 (protocol 2.10 layout): handover_offset and
  // kernel_info_offset in the image are code, not header.
  auto kernel = load_with([](setup_header& h) { h.jump = 0xEB | ((0x264 - 0x202) << 8); });
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(+kernel->header->handover_offset, 0u);
  EXPECT_EQ(+kernel->header->kernel_info_offset, 0u);
  EXPECT_EQ(+kernel->header->init_size, 0x80'0000u);
}

TEST_F(BzImageLoaderTest, RejectsHeaderTooShortForItsProtocol) {
  expect_error(load_with([](setup_header& h) { h.jump = 0xEB | ((0x230 - 0x202) << 8); }),
               LoaderErrc::kInvalidHeader, {"ends the setup header at 0x230"});
}

TEST_F(BzImageLoaderTest, UsesLowestAlignedAddressWhenPrefAddressIsUnaligned) {
  BzImageSpec spec;
  spec.pref_address = 16 * kMiB + 0x1000;
  auto kernel = load(spec);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->load_address, GuestAddress(2 * kMiB));  // align_up(1 MiB, 2 MiB)
  EXPECT_EQ(+kernel->header->code32_start, 2 * kMiB);
}

TEST_F(BzImageLoaderTest, UsesLowestAlignedAddressWhenPrefAddressDoesNotFit) {
  memory_ = make_memory(20 * kMiB);
  BzImageSpec spec;
  spec.kernel_alignment = 4 * kMiB;
  auto kernel = load(spec);  // [16 MiB, 24 MiB) is past the end of RAM
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->load_address, GuestAddress(4 * kMiB));
  EXPECT_EQ(kernel->end, GuestAddress(12 * kMiB));
}

TEST_F(BzImageLoaderTest, AlignsWhenThereIsNoPrefAddress) {
  BzImageSpec spec;
  spec.pref_address = 0;  // falls back to 1 MiB, not 16 MiB aligned
  spec.kernel_alignment = 16 * kMiB;
  auto kernel = load(spec);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->load_address, GuestAddress(16 * kMiB));
}

TEST_F(BzImageLoaderTest, LoadsNonRelocatableKernelAtPrefAddressOnly) {
  BzImageSpec spec;
  spec.relocatable_kernel = 0;
  spec.pref_address = 32 * kMiB;
  spec.kernel_alignment = 3;  // ignored: not relocatable
  auto kernel = load(spec);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->load_address, GuestAddress(32 * kMiB));

  spec.pref_address = 0;
  kernel = load(spec);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->load_address, GuestAddress(1 * kMiB));

  spec.pref_address = 60 * kMiB;
  expect_error(load(spec), LoaderErrc::kDoesNotFit, {"non-relocatable", "[0x3c00000, 0x4400000)"});
  spec.pref_address = 0x1000;
  expect_error(load(spec), LoaderErrc::kDoesNotFit, {"[0x1000, 0x801000)"});
}

TEST_F(BzImageLoaderTest, RejectsBadKernelAlignment) {
  for (uint32_t alignment : {0u, 0x30'0000u, 0x8000'0000u}) {
    BzImageSpec spec;
    spec.kernel_alignment = alignment;
    expect_error(load(spec), LoaderErrc::kInvalidHeader, {"kernel_alignment"});
  }
}

TEST_F(BzImageLoaderTest, RejectsInitSizeBeyondRam) {
  BzImageSpec spec;
  spec.init_size = 64 * kMiB;
  expect_error(load(spec), LoaderErrc::kDoesNotFit, {"0x4000000-byte window"});
}

TEST_F(BzImageLoaderTest, WindowCoversCodeLargerThanInitSize) {
  BzImageSpec spec;
  spec.init_size = 0x1000;
  auto kernel = load(spec);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->end, GuestAddress(16 * kMiB + spec.code_size));
}

TEST_F(BzImageLoaderTest, RejectsOldOr32BitOnlyKernels) {
  BzImageSpec spec;
  spec.version = 0x0205;
  expect_error(load(spec), LoaderErrc::kUnsupported, {"boot protocol 2.05 is too old"});
  spec.version = 0x020b;
  expect_error(load(spec), LoaderErrc::kUnsupported, {"boot protocol 2.11 has no xloadflags"});
  spec = {};
  spec.xloadflags = XLF_CAN_BE_LOADED_ABOVE_4G;
  expect_error(load(spec), LoaderErrc::kUnsupported, {"no 64-bit entry point"});
  spec = {};
  spec.loadflags = 0;
  expect_error(load(spec), LoaderErrc::kUnsupported, {"LOADED_HIGH"});
}

TEST_F(BzImageLoaderTest, RejectsBadMagic) {
  expect_error(load_with([](setup_header& h) { h.boot_flag = 0x55AA; }), LoaderErrc::kBadMagic,
               {"boot_flag is 0x55aa"});
  expect_error(load_with([](setup_header& h) { h.header = 0x53726449; }), LoaderErrc::kBadMagic, {"HdrS"});
}

TEST_F(BzImageLoaderTest, RejectsEveryTruncation) {
  const Bytes image = make_bzimage(BzImageSpec{});
  for (size_t size = 0; size < image.size(); ++size) {
    SCOPED_TRACE(size);
    expect_error(load_bzimage(memory_, std::span(image).first(size)), LoaderErrc::kTruncated);
  }
}

TEST_F(BzImageLoaderTest, SetupSectsZeroMeansFour) {
  BzImageSpec spec;
  spec.setup_sects = 0;
  auto kernel = load(spec);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(read_guest(memory_, 16 * kMiB, spec.code_size), pattern(spec.code_size, 3));
}

TEST_F(BzImageLoaderTest, RejectsSetupLargerThanTheImage) {
  expect_error(load_with([](setup_header& h) { h.setup_sects = 255; }), LoaderErrc::kTruncated,
               {"setup code (255 sectors)"});
}

TEST_F(BzImageLoaderTest, ChecksSyssize) {
  expect_error(load_with([](setup_header& h) { h.syssize = 0; }), LoaderErrc::kInvalidHeader,
               {"syssize is 0"});
  expect_error(load_with([](setup_header& h) { h.syssize = 0x20; }), LoaderErrc::kInvalidHeader,
               {"512 bytes"});
  expect_error(load_with([](setup_header& h) { h.syssize += 1; }), LoaderErrc::kTruncated,
               {"8208 bytes of protected-mode code, but only 8192"});
  expect_error(load_with([](setup_header& h) { h.syssize = 0xffff'ffff; }), LoaderErrc::kTruncated);
}

TEST_F(BzImageLoaderTest, LoadsOnlySyssizeBytes) {
  // Bytes after syssize paragraphs (e.g. an appended signature) stay out of guest memory.
  auto kernel = load_with([](setup_header& h) { h.syssize -= 0x10; });
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(read_guest(memory_, 16 * kMiB, 0x1f00), pattern(0x1f00, 3));
  EXPECT_EQ(read_guest(memory_, 16 * kMiB + 0x1f00, 0x100), Bytes(0x100, 0));
}

}  // namespace
}  // namespace vmm::test
