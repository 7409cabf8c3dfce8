// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/base/size.hpp>

namespace vmm {
namespace {

TEST(ParseSize, AcceptsSuffixes) {
  EXPECT_EQ(*parse_size("4096"), 4096u);
  EXPECT_EQ(*parse_size("512M"), 512ull << 20);
  EXPECT_EQ(*parse_size("2G"), 2ull << 30);
  EXPECT_EQ(*parse_size("2g"), 2ull << 30);
  EXPECT_EQ(*parse_size("1GiB"), 1ull << 30);
  EXPECT_EQ(*parse_size("64k"), 64ull << 10);
  EXPECT_EQ(*parse_size("128", 1 << 20), 128ull << 20);
}

TEST(ParseSize, RejectsGarbage) {
  for (const char* bad : {"", "M", "12X", "1.5G", "-1", "99999999999999999999", "20000000000T", "1GG"}) {
    auto r = parse_size(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.error().message().find("invalid size"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace vmm
