// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <cstring>

#include <vmm/vmm/error.hpp>
#include <vmm/vmm/line_buffer.hpp>

namespace vmm {
namespace {

std::optional<std::string> next(LineBuffer& buffer) {
  auto line = buffer.next_line();
  EXPECT_TRUE(line.ok()) << line.error().message();
  return line.ok() ? *line : std::nullopt;
}

TEST(LineBuffer, YieldsCompleteLines) {
  LineBuffer buffer(64);
  EXPECT_EQ(buffer.append("{\"a\":1}\n{\"b\""), 12u);
  EXPECT_EQ(next(buffer), "{\"a\":1}");
  EXPECT_EQ(next(buffer), std::nullopt);
  EXPECT_EQ(buffer.pending(), 4u);
  buffer.append(":2}\r\n\n");
  EXPECT_EQ(next(buffer), "{\"b\":2}");
  EXPECT_EQ(next(buffer), "");
  EXPECT_EQ(next(buffer), std::nullopt);
  EXPECT_EQ(buffer.pending(), 0u);
}

TEST(LineBuffer, ReadsIntoWritableSpace) {
  LineBuffer buffer(8);
  auto space = buffer.writable();
  ASSERT_EQ(space.size(), 9u);
  std::memcpy(space.data(), "ab\ncd", 5);
  buffer.commit(5);
  EXPECT_EQ(next(buffer), "ab");
  EXPECT_EQ(buffer.writable().size(), 7u);  // compacted: "cd" moved to the front
  buffer.commit(100);                       // clamped
  EXPECT_EQ(buffer.pending(), 9u);
}

TEST(LineBuffer, LineOfExactlyMaxFits) {
  LineBuffer buffer(8);
  EXPECT_EQ(buffer.append("12345678\n"), 9u);
  EXPECT_EQ(next(buffer), "12345678");
}

TEST(LineBuffer, OverlongLineIsAnErrorNotGrowth) {
  LineBuffer buffer(8);
  EXPECT_EQ(buffer.append("123456789abc"), 9u);  // takes what fits
  EXPECT_TRUE(buffer.writable().empty());
  auto line = buffer.next_line();
  ASSERT_FALSE(line.ok());
  EXPECT_EQ(line.error().code(), ControlErrc::kLineTooLong);
  EXPECT_NE(line.error().message().find("line longer than 8 bytes"), std::string::npos);
  EXPECT_EQ(buffer.max_line(), 8u);
}

TEST(LineBuffer, ManyLinesInOneRead) {
  LineBuffer buffer(16);
  buffer.append("a\nbb\nccc\nd");
  EXPECT_EQ(next(buffer), "a");
  EXPECT_EQ(next(buffer), "bb");
  EXPECT_EQ(next(buffer), "ccc");
  EXPECT_EQ(next(buffer), std::nullopt);
  buffer.append("\n");
  EXPECT_EQ(next(buffer), "d");
}

TEST(LineBuffer, ByteByByte) {
  LineBuffer buffer(4);
  std::string input = "ab\ncde\nf\n";
  std::vector<std::string> lines;
  for (char c : input) {
    ASSERT_EQ(buffer.append(std::string_view(&c, 1)), 1u);
    while (auto line = next(buffer)) lines.push_back(*line);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"ab", "cde", "f"}));
}

}  // namespace
}  // namespace vmm
