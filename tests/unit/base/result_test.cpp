// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/base/bytes.hpp>
#include <vmm/base/result.hpp>

namespace vmm {
namespace {

Result<int> half(int x) {
  if (x % 2 != 0) return Error(std::make_error_code(std::errc::invalid_argument), "odd number");
  return x / 2;
}

Result<int> quarter(int x) {
  VMM_TRY_ASSIGN(int h, half(x));
  VMM_TRY_ASSIGN(int q, half(h));
  return q;
}

Result<void> check_even(int x) {
  VMM_TRY(half(x));
  return ok();
}

TEST(Result, PropagatesValuesAndErrors) {
  auto good = quarter(8);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 2);
  auto bad = quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), std::errc::invalid_argument);
  EXPECT_EQ(bad.error().context(), "odd number");
  EXPECT_TRUE(check_even(4).ok());
  EXPECT_FALSE(check_even(3).ok());
}

TEST(Error, MessageJoinsContextAndCode) {
  Error e = Error::from_errno(ENOENT, "open /nope");
  EXPECT_EQ(e.message(), "open /nope: No such file or directory");
  EXPECT_EQ(e.with_context("loading kernel").message(), "loading kernel: open /nope: No such file or directory");
}

TEST(Bytes, LoadStoreAreBoundsChecked) {
  uint8_t raw[4] = {0x78, 0x56, 0x34, 0x12};
  std::span<const uint8_t> bytes(raw);
  EXPECT_EQ(load_le<uint32_t>(bytes, 0), 0x12345678u);
  EXPECT_EQ(load_le<uint16_t>(bytes, 2), 0x1234u);
  EXPECT_FALSE(load_le<uint32_t>(bytes, 1).has_value());
  EXPECT_FALSE(load_le<uint8_t>(bytes, SIZE_MAX).has_value());
  uint8_t out[2] = {};
  EXPECT_TRUE(store_le<uint16_t>(out, 0, 0xbeef));
  EXPECT_EQ(out[0], 0xef);
  EXPECT_FALSE(store_le<uint16_t>(out, 1, 0xbeef));
}

TEST(Bytes, CheckedArithmetic) {
  EXPECT_FALSE(checked_add<uint64_t>(UINT64_MAX, 1).has_value());
  EXPECT_EQ(checked_add<uint64_t>(1, 2), 3u);
  EXPECT_FALSE(checked_mul<uint64_t>(UINT64_MAX / 2, 3).has_value());
  EXPECT_EQ(align_up(4097, 4096), 8192u);
  EXPECT_FALSE(align_up(UINT64_MAX - 1, 4096).has_value());
}

}  // namespace
}  // namespace vmm
