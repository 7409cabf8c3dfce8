// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/loader/kernel.hpp>

#include "expect_error.hpp"
#include "test_images.hpp"

namespace vmm::test {
namespace {

TEST(LoadKernelTest, DetectsElf) {
  GuestMemory memory = make_memory(64 * kMiB);
  auto kernel = load_kernel(memory, make_elf(linux_like_elf()));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->format, LoadedKernel::Format::kElf);
  EXPECT_EQ(kernel->pvh_entry, GuestAddress(kKernelPhys + 0x80));
}

TEST(LoadKernelTest, DetectsBzImage) {
  GuestMemory memory = make_memory(64 * kMiB);
  auto kernel = load_kernel(memory, make_bzimage(BzImageSpec{}));
  ASSERT_TRUE(kernel.ok()) << kernel.error().message();
  EXPECT_EQ(kernel->format, LoadedKernel::Format::kBzImage);
  EXPECT_EQ(kernel->entry64, GuestAddress(16 * kMiB + 0x200));
}

TEST(LoadKernelTest, PassesFormatErrorsThrough) {
  GuestMemory memory = make_memory(64 * kMiB);
  BzImageSpec old;
  old.version = 0x0204;
  expect_error(load_kernel(memory, make_bzimage(old)), LoaderErrc::kUnsupported,
               {"bzImage: boot protocol 2.04"});
  Bytes elf = make_elf(linux_like_elf());
  elf.resize(100);
  expect_error(load_kernel(memory, elf), LoaderErrc::kTruncated, {"ELF: program header table"});
}

TEST(LoadKernelTest, RejectsUnknownFormats) {
  GuestMemory memory = make_memory(64 * kMiB);
  expect_error(load_kernel(memory, {}), LoaderErrc::kUnknownFormat, {"(0 bytes)"});
  expect_error(load_kernel(memory, Bytes(4096, 0x90)), LoaderErrc::kUnknownFormat,
               {"neither an ELF vmlinux nor a bzImage"});
  const Bytes elf_prefix = {0x7f, 'E', 'L'};
  expect_error(load_kernel(memory, elf_prefix), LoaderErrc::kUnknownFormat);
}

TEST(LoaderErrorTest, CategoryDescribesEveryCode) {
  EXPECT_STREQ(loader_category().name(), "loader");
  EXPECT_EQ(make_error_code(LoaderErrc::kDoesNotFit).message(), "does not fit in guest RAM");
  EXPECT_EQ(make_error_code(LoaderErrc::kCmdlineUnbalancedQuote).message(),
            "unbalanced quote in kernel command line");
  EXPECT_EQ(std::error_code(LoaderErrc::kTruncated).category(), loader_category());
}

}  // namespace
}  // namespace vmm::test
