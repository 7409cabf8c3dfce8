// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include <vmm/arch/boot_params.hpp>
#include <vmm/arch/error.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/base/bytes.hpp>

#include "test_memory.hpp"

namespace vmm::x86_64 {
namespace {

using test::kGiB;
using test::kMiB;

// boot_params and setup_header are packed: gtest's macros take references,
// so fields are read through a by-value copy.
template <typename T>
T field(T value) {
  return value;
}

// A bzImage header as a loader hands it over (boot.rst field values).
setup_header bzimage_header(uint16_t version) {
  setup_header hdr{};
  hdr.setup_sects = 27;
  hdr.boot_flag = 0xaa55;
  hdr.header = 0x53726448;
  hdr.version = version;
  hdr.loadflags = LOADED_HIGH;
  hdr.cmdline_size = 2047;
  hdr.pref_address = 0x100'0000;
  hdr.init_size = 0x200'0000;
  hdr.xloadflags = XLF_KERNEL_64;
  return hdr;
}

struct Fixture : ::testing::Test {
  std::vector<E820Entry> e820 = build_e820(x86_64_memory_layout(128 * kMiB)).value();
  BootParamsSpec spec{std::nullopt, GuestAddress(kCmdlineStart), 20, std::nullopt, e820};
};

using BootParams = Fixture;

TEST_F(BootParams, ZeroPageOffsetsMatchTheDocument) {
  auto memory = test::make_memory(128 * kMiB);
  spec.initrd = InitrdRange{GuestAddress(0x700'0000), 0x12'3000};
  ASSERT_TRUE(write_boot_params(memory, spec));
  std::vector<uint8_t> page = test::read_bytes(memory, kZeroPageStart, 4096);
  // Documentation/arch/x86/zero-page.rst and boot.rst offsets.
  EXPECT_EQ(page[0x1e8], e820.size());                                   // e820_entries
  EXPECT_EQ(load_le<uint16_t>(page, 0x1fe), 0xaa55u);                    // hdr.boot_flag
  EXPECT_EQ(load_le<uint32_t>(page, 0x202), 0x53726448u);                // hdr.header "HdrS"
  EXPECT_EQ(page[0x210], 0xff);                                          // hdr.type_of_loader
  EXPECT_EQ(load_le<uint32_t>(page, 0x218), 0x700'0000u);                // hdr.ramdisk_image
  EXPECT_EQ(load_le<uint32_t>(page, 0x21c), 0x12'3000u);                 // hdr.ramdisk_size
  EXPECT_EQ(load_le<uint32_t>(page, 0x228), kCmdlineStart);              // hdr.cmd_line_ptr
  EXPECT_EQ(load_le<uint32_t>(page, 0x238), 20u);                        // hdr.cmdline_size
  EXPECT_EQ(load_le<uint64_t>(page, 0x2d0), 0u);                         // e820_table[0].addr
  EXPECT_EQ(load_le<uint64_t>(page, 0x2d8), kEbdaStart);                 // e820_table[0].size
  EXPECT_EQ(load_le<uint32_t>(page, 0x2e0), 1u);                         // e820_table[0].type
  EXPECT_EQ(load_le<uint64_t>(page, 0x2d0 + 20 * 2), kHighMemoryStart);  // e820_table[2].addr
  EXPECT_EQ(load_le<uint64_t>(page, 0x070), 0u);                         // acpi_rsdp_addr
}

TEST_F(BootParams, RsdpAddressGoesToAcpiRsdpAddr) {
  auto memory = test::make_memory(128 * kMiB);
  spec.rsdp = GuestAddress(kAcpiTablesStart);
  ASSERT_TRUE(write_boot_params(memory, spec));
  std::vector<uint8_t> page = test::read_bytes(memory, kZeroPageStart, 4096);
  EXPECT_EQ(load_le<uint64_t>(page, 0x070), 0xE0000u);  // zero-page.rst: acpi_rsdp_addr
}

TEST_F(BootParams, ElfKernelGetsAMinimalHeader) {
  auto params = build_boot_params(spec);
  ASSERT_TRUE(params) << params.error().message();
  EXPECT_EQ(field(params->hdr.boot_flag), 0xaa55);
  EXPECT_EQ(field(params->hdr.header), 0x53726448u);
  EXPECT_EQ(field(params->hdr.version), kElfBootProtocolVersion);
  EXPECT_EQ(field(params->hdr.kernel_alignment), 0x100'0000u);
  EXPECT_EQ(field(params->hdr.type_of_loader), 0xff);
  EXPECT_EQ(field(params->hdr.ramdisk_image), 0u);
  EXPECT_EQ(field(params->hdr.ramdisk_size), 0u);
  EXPECT_EQ(field(params->e820_entries), e820.size());
  for (size_t i = 0; i < e820.size(); ++i) {
    EXPECT_EQ(field(params->e820_table[i].addr), e820[i].addr);
    EXPECT_EQ(field(params->e820_table[i].size), e820[i].size);
    EXPECT_EQ(field(params->e820_table[i].type), static_cast<uint32_t>(e820[i].type));
  }
}

TEST_F(BootParams, BzImageHeaderIsKeptAndLoaderFieldsFilled) {
  spec.header = bzimage_header(0x020f);
  spec.initrd = InitrdRange{GuestAddress(0x7f00'0000), 0x40'0000};
  auto params = build_boot_params(spec);
  ASSERT_TRUE(params) << params.error().message();
  EXPECT_EQ(field(params->hdr.setup_sects), 27);
  EXPECT_EQ(field(params->hdr.version), 0x020f);
  EXPECT_EQ(field(params->hdr.pref_address), 0x100'0000u);
  EXPECT_EQ(field(params->hdr.init_size), 0x200'0000u);
  EXPECT_EQ(field(params->hdr.cmdline_size), 2047u);  // the kernel's limit, not ours
  EXPECT_EQ(field(params->hdr.type_of_loader), 0xff);
  EXPECT_EQ(field(params->hdr.vid_mode), 0xffff);
  EXPECT_EQ(field(params->hdr.cmd_line_ptr), kCmdlineStart);
  EXPECT_EQ(field(params->hdr.ramdisk_image), 0x7f00'0000u);
  EXPECT_EQ(field(params->hdr.ramdisk_size), 0x40'0000u);
  EXPECT_EQ(field(params->ext_ramdisk_image), 0u);
  EXPECT_EQ(field(params->ext_cmd_line_ptr), 0u);
}

TEST_F(BootParams, AddressesAbove4GiBUseTheExtFields) {
  spec.header = bzimage_header(0x020c);
  spec.initrd = InitrdRange{GuestAddress(5 * kGiB + 0x1000), 0x2000};
  auto params = build_boot_params(spec);
  ASSERT_TRUE(params) << params.error().message();
  EXPECT_EQ(field(params->hdr.ramdisk_image), 0x4000'1000u);
  EXPECT_EQ(field(params->ext_ramdisk_image), 1u);
  EXPECT_EQ(field(params->hdr.ramdisk_size), 0x2000u);

  spec.header = bzimage_header(0x020b);
  params = build_boot_params(spec);
  ASSERT_FALSE(params);
  EXPECT_EQ(params.error().code(), ArchErrc::kAddressTooHigh);
}

TEST_F(BootParams, RejectsHeaderWithoutMagic) {
  spec.header = bzimage_header(0x020f);
  spec.header->header = 0;
  auto params = build_boot_params(spec);
  ASSERT_FALSE(params);
  EXPECT_EQ(params.error().code(), ArchErrc::kInvalidKernelHeader);
}

TEST_F(BootParams, CommandLineMustFitTheKernelsLimit) {
  spec.header = bzimage_header(0x020f);
  spec.cmdline_len = 2047;
  EXPECT_TRUE(build_boot_params(spec));
  spec.cmdline_len = 2048;
  auto params = build_boot_params(spec);
  ASSERT_FALSE(params);
  EXPECT_EQ(params.error().code(), ArchErrc::kCmdlineTooLong);

  spec.header = bzimage_header(0x0205);  // before 2.06: 255 bytes
  spec.cmdline_len = 256;
  EXPECT_FALSE(build_boot_params(spec));
  spec.cmdline_len = 255;
  EXPECT_TRUE(build_boot_params(spec));
}

TEST_F(BootParams, RejectsTooLongE820) {
  std::vector<E820Entry> long_map(kMaxE820Entries + 1, E820Entry{0, 4096, E820Type::kRam});
  spec.e820 = long_map;
  auto params = build_boot_params(spec);
  ASSERT_FALSE(params);
  EXPECT_EQ(params.error().code(), ArchErrc::kTooManyMemoryMapEntries);
}

TEST_F(BootParams, OverwritesTheWholeZeroPage) {
  auto memory = test::make_memory(16 * kMiB);
  std::vector<uint8_t> junk(4096, 0xee);
  ASSERT_TRUE(memory.write(GuestAddress(kZeroPageStart), junk));
  ASSERT_TRUE(write_boot_params(memory, spec));
  std::vector<uint8_t> page = test::read_bytes(memory, kZeroPageStart, 4096);
  EXPECT_EQ(page[0], 0);      // screen_info
  EXPECT_EQ(page[0x1ef], 0);  // sentinel
  EXPECT_EQ(page[4095], 0);
}

TEST(Cmdline, WritesTextAndNul) {
  auto memory = test::make_memory(16 * kMiB);
  std::vector<uint8_t> junk(64, 0xee);
  ASSERT_TRUE(memory.write(GuestAddress(kCmdlineStart), junk));
  ASSERT_TRUE(write_cmdline(memory, "console=ttyS0"));
  std::vector<uint8_t> bytes = test::read_bytes(memory, kCmdlineStart, 14);
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), std::string("console=ttyS0\0", 14));
}

TEST(Cmdline, RejectsTextBeyondItsArea) {
  auto memory = test::make_memory(16 * kMiB);
  std::string text(kCmdlineMaxSize - 1, 'a');
  EXPECT_TRUE(write_cmdline(memory, text));
  text.push_back('a');
  auto written = write_cmdline(memory, text);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), ArchErrc::kCmdlineTooLong);
}

}  // namespace
}  // namespace vmm::x86_64
