// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// ChainReader / ChainWriter and the whole-part helpers: bounded, exact,
// guest RAM checked at each access.
#include <numeric>

#include "test_support.hpp"

namespace vmm::virtio {
namespace {

using testing::Buffer;

std::vector<uint8_t> iota_bytes(size_t n, uint8_t first = 0) {
  std::vector<uint8_t> bytes(n);
  std::iota(bytes.begin(), bytes.end(), first);
  return bytes;
}

class ChainIoTest : public QueueTest {
 protected:
  ChainBuffers chain_of(std::vector<Buffer> buffers) {
    driver.add_chain(buffers);
    auto chain = pop_and_collect();
    EXPECT_TRUE(chain.ok()) << chain.error().message();
    return chain.ok() ? *chain : ChainBuffers{};
  }
};

TEST_F(ChainIoTest, ReaderStreamsAcrossBuffers) {
  ASSERT_TRUE(memory.write(GuestAddress(kData), iota_bytes(8)).ok());
  ASSERT_TRUE(memory.write(GuestAddress(kData + 0x100), iota_bytes(8, 8)).ok());
  ChainBuffers chain = chain_of(
      {{kData, 3, false}, {kData + 0x80, 0, false}, {kData + 3, 5, false}, {kData + 0x100, 8, false}});
  ChainReader reader(memory, chain.readable);
  EXPECT_EQ(reader.remaining(), 16u);
  std::vector<uint8_t> head(4), rest(10);
  ASSERT_TRUE(reader.read(head).ok());
  EXPECT_EQ(head, iota_bytes(4));
  ASSERT_TRUE(reader.skip(2).ok());
  ASSERT_TRUE(reader.read(rest).ok());
  EXPECT_EQ(rest, iota_bytes(10, 6));
  EXPECT_EQ(reader.remaining(), 0u);
  std::vector<uint8_t> one(1);
  EXPECT_EQ(error_of(reader.read(one)), QueueErrc::kShortBuffer);
}

TEST_F(ChainIoTest, ShortReadFailsBeforeCopying) {
  ChainBuffers chain = chain_of({{kData, 4, false}});
  ChainReader reader(memory, chain.readable);
  std::vector<uint8_t> too_much(5);
  EXPECT_EQ(error_of(reader.read(too_much)), QueueErrc::kShortBuffer);
  EXPECT_EQ(reader.remaining(), 4u);
}

TEST_F(ChainIoTest, WriterFillsWritableBuffersInOrder) {
  ChainBuffers chain = chain_of(
      {{kData, 4, false}, {kData + 0x200, 3, true}, {kData + 0x300, 0, true}, {kData + 0x400, 4, true}});
  ChainWriter writer(memory, chain.writable);
  ASSERT_TRUE(writer.write(iota_bytes(5, 1)).ok());
  EXPECT_EQ(writer.written(), 5u);
  EXPECT_EQ(writer.remaining(), 2u);
  EXPECT_EQ(error_of(writer.write(iota_bytes(3))), QueueErrc::kShortBuffer);
  EXPECT_EQ(writer.written(), 5u);
  std::vector<uint8_t> first(3), second(2);
  ASSERT_TRUE(memory.read(GuestAddress(kData + 0x200), first).ok());
  ASSERT_TRUE(memory.read(GuestAddress(kData + 0x400), second).ok());
  EXPECT_EQ(first, iota_bytes(3, 1));
  EXPECT_EQ(second, iota_bytes(2, 4));
}

TEST_F(ChainIoTest, WholePartHelpers) {
  ASSERT_TRUE(memory.write(GuestAddress(kData), iota_bytes(6)).ok());
  ChainBuffers chain = chain_of({{kData, 6, false}, {kData + 0x100, 4, true}});
  auto data = read_readable(memory, chain, 6);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, iota_bytes(6));
  EXPECT_EQ(error_of(read_readable(memory, chain, 5)), QueueErrc::kShortBuffer);
  EXPECT_TRUE(write_writable(memory, chain, iota_bytes(4)).ok());
  EXPECT_EQ(error_of(write_writable(memory, chain, iota_bytes(5))), QueueErrc::kShortBuffer);
}

TEST_F(ChainIoTest, BuffersOutsideRamFailWhenTouched) {
  // Popping and walking succeed: the buffers are checked when accessed.
  ChainBuffers chain = chain_of({{kRamSize - 2, 4, false}, {kRamSize + 0x1000, 8, true}});
  std::vector<uint8_t> two(2), four(4);
  ChainReader reader(memory, chain.readable);
  EXPECT_EQ(error_of(reader.read(four)), MemoryErrc::kOutOfBounds);
  EXPECT_EQ(error_of(write_writable(memory, chain, two)), MemoryErrc::kOutOfBounds);
  ASSERT_TRUE(queue.add_used(memory, chain.head, 0).ok());  // the device reports an error status
  expect_queue_still_works();
}

}  // namespace
}  // namespace vmm::virtio
