// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <vmm/vmm/console_ring.hpp>

namespace vmm {
namespace {

void append(ConsoleRing& ring, std::string_view text) {
  ring.append({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

std::string contents(const ConsoleRing& ring) {
  auto bytes = ring.snapshot();
  return {bytes.begin(), bytes.end()};
}

TEST(ConsoleRing, DefaultCapacity) {
  ConsoleRing ring;
  EXPECT_EQ(ring.capacity(), 64u * 1024);
  EXPECT_EQ(ring.size(), 0u);
  EXPECT_TRUE(ring.snapshot().empty());
}

TEST(ConsoleRing, KeepsBytesInOrderUntilFull) {
  ConsoleRing ring(8);
  append(ring, "abc");
  append(ring, "defgh");
  EXPECT_EQ(contents(ring), "abcdefgh");
  EXPECT_EQ(ring.size(), 8u);
}

TEST(ConsoleRing, DropsTheOldestBytesWhenWrapping) {
  ConsoleRing ring(8);
  append(ring, "abcdef");
  append(ring, "ghij");
  EXPECT_EQ(contents(ring), "cdefghij");
  append(ring, "k");
  EXPECT_EQ(contents(ring), "defghijk");
  append(ring, "lmnopqr");
  EXPECT_EQ(contents(ring), "klmnopqr");
  EXPECT_EQ(ring.total_appended(), 18u);
}

TEST(ConsoleRing, AppendLargerThanCapacityKeepsTheTail) {
  ConsoleRing ring(4);
  append(ring, "ab");
  append(ring, "0123456789");
  EXPECT_EQ(contents(ring), "6789");
  append(ring, "xy");
  EXPECT_EQ(contents(ring), "89xy");
}

TEST(ConsoleRing, ManySmallAppendsMatchAReference) {
  ConsoleRing ring(7);
  std::string all;
  for (int i = 0; i < 200; ++i) {
    std::string chunk(static_cast<size_t>(i % 5), static_cast<char>('a' + i % 26));
    append(ring, chunk);
    all += chunk;
    std::string expected = all.size() > 7 ? all.substr(all.size() - 7) : all;
    ASSERT_EQ(contents(ring), expected) << "after append " << i;
  }
  EXPECT_EQ(ring.total_appended(), all.size());
}

TEST(ConsoleRing, ClearAndZeroCapacity) {
  ConsoleRing ring(4);
  append(ring, "abcdef");
  ring.clear();
  EXPECT_EQ(ring.size(), 0u);
  EXPECT_EQ(ring.total_appended(), 0u);
  append(ring, "z");
  EXPECT_EQ(contents(ring), "z");

  ConsoleRing none(0);
  append(none, "abc");
  EXPECT_TRUE(none.snapshot().empty());
  EXPECT_EQ(none.total_appended(), 3u);
}

}  // namespace
}  // namespace vmm
