// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <string>

#include <vmm/loader/cmdline.hpp>

#include "expect_error.hpp"
#include "test_images.hpp"

namespace vmm::test {
namespace {

using namespace std::string_view_literals;

TEST(CmdlineTest, JoinsKeyValuePairsWithSpaces) {
  Cmdline cmdline(64);
  ASSERT_TRUE(cmdline.insert("console", "ttyS0").ok());
  ASSERT_TRUE(cmdline.insert("reboot", "k").ok());
  ASSERT_TRUE(cmdline.insert("init", "").ok());
  EXPECT_EQ(cmdline.as_str(), "console=ttyS0 reboot=k init=");
  EXPECT_EQ(cmdline.size(), 28u);
  EXPECT_EQ(cmdline.capacity(), 64u);
}

TEST(CmdlineTest, QuotesValuesWithSpaces) {
  Cmdline cmdline(64);
  ASSERT_TRUE(cmdline.insert("dyndbg", "file virtio.c +p").ok());
  EXPECT_EQ(cmdline.as_str(), R"(dyndbg="file virtio.c +p")");
}

TEST(CmdlineTest, AppendsFreeFormText) {
  Cmdline cmdline(64);
  ASSERT_TRUE(cmdline.insert_str("quiet panic=1").ok());
  ASSERT_TRUE(cmdline.insert_str("").ok());
  ASSERT_TRUE(cmdline.insert_str(R"(x="a b")").ok());
  EXPECT_EQ(cmdline.as_str(), R"(quiet panic=1 x="a b")");
}

TEST(CmdlineTest, BytesIncludeTheTerminatingNul) {
  Cmdline cmdline(16);
  ASSERT_TRUE(cmdline.insert_str("ro").ok());
  const std::span<const uint8_t> bytes = cmdline.bytes_with_nul();
  EXPECT_EQ(Bytes(bytes.begin(), bytes.end()), (Bytes{'r', 'o', 0}));
}

TEST(CmdlineTest, CapacityCountsSeparatorAndNul) {
  Cmdline cmdline(10);
  expect_error(cmdline.insert("a", "12345678"), LoaderErrc::kCmdlineTooLong,
               {"would be 10 bytes plus the NUL", "limit of 10 bytes including the NUL"});
  EXPECT_EQ(cmdline.as_str(), "");
  ASSERT_TRUE(cmdline.insert("a", "1234567").ok());  // 9 bytes + NUL
  expect_error(cmdline.insert_str("b"), LoaderErrc::kCmdlineTooLong);
  EXPECT_EQ(cmdline.as_str(), "a=1234567");

  Cmdline exact(5);
  ASSERT_TRUE(exact.insert_str("ab").ok());
  ASSERT_TRUE(exact.insert_str("c").ok());  // "ab c" + NUL = 5
  expect_error(exact.insert_str("d"), LoaderErrc::kCmdlineTooLong);

  Cmdline none(0);
  expect_error(none.insert_str("x"), LoaderErrc::kCmdlineTooLong);
}

TEST(CmdlineTest, RejectsNulAndControlCharacters) {
  Cmdline cmdline(64);
  expect_error(cmdline.insert("root", "/dev/vda\0x"sv), LoaderErrc::kCmdlineInvalidChar,
               {"byte 0x00 at offset 8"});
  expect_error(cmdline.insert("ro\not", "x"), LoaderErrc::kCmdlineInvalidChar, {"byte 0x0a at offset 2"});
  expect_error(cmdline.insert_str("a\tb"), LoaderErrc::kCmdlineInvalidChar, {"byte 0x09"});
  expect_error(cmdline.insert_str("del\x7f"), LoaderErrc::kCmdlineInvalidChar, {"byte 0x7f"});
  expect_error(cmdline.insert_str("caf\xc3\xa9"), LoaderErrc::kCmdlineInvalidChar, {"byte 0xc3 at offset 3"});
  expect_error(cmdline.insert_str("\0"sv), LoaderErrc::kCmdlineInvalidChar);
  EXPECT_EQ(cmdline.as_str(), "");
}

TEST(CmdlineTest, RejectsBadKeys) {
  Cmdline cmdline(64);
  for (std::string_view key : {""sv, "a b"sv, "a=b"sv, "a\"b"sv}) {
    SCOPED_TRACE(key);
    expect_error(cmdline.insert(key, "1"), LoaderErrc::kCmdlineInvalidKey, {"must be non-empty"});
  }
  EXPECT_EQ(cmdline.as_str(), "");
}

TEST(CmdlineTest, RejectsQuotesInValues) {
  Cmdline cmdline(64);
  expect_error(cmdline.insert("init", "/bin/sh -c \"x\""), LoaderErrc::kCmdlineInvalidChar,
               {"value of \"init\" contains a '\"'"});
}

TEST(CmdlineTest, RejectsUnbalancedQuotes) {
  Cmdline cmdline(64);
  expect_error(cmdline.insert_str("a=\"b c"), LoaderErrc::kCmdlineUnbalancedQuote);
  EXPECT_EQ(cmdline.as_str(), "");
}

TEST(ValidateCmdlineTest, ChecksCharactersQuotesAndLength) {
  EXPECT_TRUE(validate_cmdline("console=ttyS0 root=/dev/vda", 2048).ok());
  EXPECT_TRUE(validate_cmdline("", 1).ok());
  EXPECT_TRUE(validate_cmdline("abc", 4).ok());
  expect_error(validate_cmdline("abcd", 4), LoaderErrc::kCmdlineTooLong, {"limit of 4 bytes"});
  expect_error(validate_cmdline("a\rb", 64), LoaderErrc::kCmdlineInvalidChar);
  expect_error(validate_cmdline("a\0b"sv, 64), LoaderErrc::kCmdlineInvalidChar);
  expect_error(validate_cmdline("x=\"", 64), LoaderErrc::kCmdlineUnbalancedQuote);
}

TEST(CmdlineCapacityTest, ComesFromTheBzImageHeader) {
  GuestMemory memory = make_memory(64 * kMiB);
  BzImageSpec spec;
  spec.cmdline_size = 255;
  auto bz = load_bzimage(memory, make_bzimage(spec));
  ASSERT_TRUE(bz.ok()) << bz.error().message();
  EXPECT_EQ(cmdline_capacity(*bz), 256u);
  auto elf = load_elf(memory, make_elf(linux_like_elf()));
  ASSERT_TRUE(elf.ok()) << elf.error().message();
  EXPECT_EQ(cmdline_capacity(*elf), kDefaultCmdlineCapacity);
}

}  // namespace
}  // namespace vmm::test
