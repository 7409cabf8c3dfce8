// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// DescriptorChain (VIRTIO 1.2 §2.7.5): happy paths and every hostile chain a
// driver can build. Each hostile case ends with a correct request that works.
#include "test_support.hpp"

namespace vmm::virtio {
namespace {

using testing::Buffer;

constexpr uint16_t kN = kDescFNext;
constexpr uint16_t kW = kDescFWrite;
constexpr uint16_t kI = kDescFIndirect;

class ChainTest : public QueueTest {
 protected:
  // Publishes head `head` whose descriptors the test wrote by hand, and walks it.
  std::error_code walk_error(uint16_t head) {
    driver.publish(head);
    return error_of(pop_and_collect());
  }
};

TEST_F(ChainTest, MultiDescriptorChainSplitsReadableAndWritable) {
  std::vector<Buffer> buffers{{kData, 16, false}, {kData + 0x100, 512, false}, {kData + 0x400, 1, true}};
  uint16_t head = driver.add_chain(buffers);
  auto chain = pop_and_collect();
  ASSERT_TRUE(chain.ok()) << chain.error().message();
  EXPECT_EQ(chain->head, head);
  ASSERT_EQ(chain->readable.size(), 2u);
  ASSERT_EQ(chain->writable.size(), 1u);
  EXPECT_EQ(chain->readable[1], (Descriptor{GuestAddress(kData + 0x100), 512, false}));
  EXPECT_EQ(chain->writable[0], (Descriptor{GuestAddress(kData + 0x400), 1, true}));
  EXPECT_EQ(chain->readable_len, 528u);
  EXPECT_EQ(chain->writable_len, 1u);
}

TEST_F(ChainTest, IndirectTable) {
  std::vector<Buffer> buffers{{kData, 16, false}, {kData + 0x200, 64, true}, {kData + 0x300, 64, true}};
  uint16_t head = driver.add_indirect_chain(GuestAddress(kIndirect), buffers);
  DescriptorChain chain = pop_chain();
  EXPECT_EQ(chain.head(), head);
  auto buffers_out = chain.collect(memory);
  ASSERT_TRUE(buffers_out.ok()) << buffers_out.error().message();
  EXPECT_EQ(buffers_out->readable.size(), 1u);
  EXPECT_EQ(buffers_out->writable_len, 128u);
  EXPECT_EQ(chain.total_len(), 144u);
}

TEST_F(ChainTest, DirectDescriptorsFollowedByAnIndirectTable) {
  // §2.7.5.3.2: zero or more chained descriptors, then one INDIRECT descriptor.
  driver.write_descriptor(GuestAddress(kIndirect), 0, {kData + 0x100, 32, kW, 0});
  driver.write_descriptor(3, {kData, 16, kN, 4});
  driver.write_descriptor(4, {kIndirect, 16, kI | kW, 0});  // WRITE on the table descriptor is ignored
  driver.publish(3);
  auto chain = pop_and_collect();
  ASSERT_TRUE(chain.ok()) << chain.error().message();
  EXPECT_EQ(chain->readable_len, 16u);
  ASSERT_EQ(chain->writable.size(), 1u);
  EXPECT_EQ(chain->writable[0].addr, GuestAddress(kData + 0x100));
}

TEST_F(ChainTest, ChainAsLongAsTheQueueIsAccepted) {
  for (uint16_t i = 0; i < 16; ++i)
    driver.write_descriptor(i, {kData + i, 1, i < 15 ? kN : uint16_t{0}, uint16_t(i + 1)});
  driver.publish(0);
  auto chain = pop_and_collect();
  ASSERT_TRUE(chain.ok()) << chain.error().message();
  EXPECT_EQ(chain->readable.size(), 16u);
}

TEST_F(ChainTest, LoopIsCutAfterQueueSizeHops) {
  driver.write_descriptor(0, {kData, 1, kN, 1});
  driver.write_descriptor(1, {kData, 1, kN, 0});
  EXPECT_EQ(walk_error(0), QueueErrc::kChainTooLong);
  driver.write_descriptor(2, {kData, 1, kN, 2});  // self loop
  EXPECT_EQ(walk_error(2), QueueErrc::kChainTooLong);
  driver.set_next_free(3);
  expect_queue_still_works();
}

TEST_F(ChainTest, NextOutsideTheTable) {
  driver.write_descriptor(0, {kData, 1, kN, 16});
  EXPECT_EQ(walk_error(0), QueueErrc::kInvalidDescriptorIndex);
  driver.write_descriptor(0, {kData, 1, kN, 0xffff});
  EXPECT_EQ(walk_error(0), QueueErrc::kInvalidDescriptorIndex);
  driver.set_next_free(1);
  expect_queue_still_works();
}

TEST_F(ChainTest, ErrorsEndTheChain) {
  driver.write_descriptor(0, {kData, 1, kN, 16});
  driver.publish(0);
  DescriptorChain chain = pop_chain();
  EXPECT_TRUE(chain.next(memory).ok());
  EXPECT_EQ(error_of(chain.next(memory)), QueueErrc::kInvalidDescriptorIndex);
  auto after = chain.next(memory);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value());
}

TEST_F(ChainTest, NestedIndirectTable) {
  driver.write_descriptor(GuestAddress(kIndirect), 0, {kIndirect + 0x100, 16, kI, 0});
  driver.write_descriptor(0, {kIndirect, 16, kI, 0});
  EXPECT_EQ(walk_error(0), QueueErrc::kNestedIndirect);
  driver.set_next_free(1);
  expect_queue_still_works();
}

TEST_F(ChainTest, IndirectWithNext) {
  driver.write_descriptor(GuestAddress(kIndirect), 0, {kData, 16, 0, 0});
  driver.write_descriptor(0, {kIndirect, 16, kI | kN, 1});
  driver.write_descriptor(1, {kData, 16, 0, 0});
  EXPECT_EQ(walk_error(0), QueueErrc::kIndirectWithNext);
  driver.set_next_free(2);
  expect_queue_still_works();
}

TEST_F(ChainTest, InvalidIndirectTableLengthsAndPlaces) {
  driver.write_descriptor(GuestAddress(kIndirect), 0, {kData, 16, 0, 0});
  for (uint32_t len : {0u, 8u, 17u, 16u * 17}) {  // 17 entries: more than the queue size
    driver.write_descriptor(0, {kIndirect, len, kI, 0});
    EXPECT_EQ(walk_error(0), QueueErrc::kInvalidIndirectTable) << len;
  }
  driver.write_descriptor(0, {kRamSize - 16, 32, kI, 0});  // runs past the end of RAM
  EXPECT_EQ(walk_error(0), QueueErrc::kInvalidIndirectTable);
  driver.write_descriptor(0, {~uint64_t{0} - 15, 32, kI, 0});  // wraps
  EXPECT_EQ(walk_error(0), QueueErrc::kInvalidIndirectTable);
  driver.set_next_free(1);
  expect_queue_still_works();
}

TEST_F(ChainTest, IndirectTableLoopsAndBadNext) {
  driver.write_descriptor(GuestAddress(kIndirect), 0, {kData, 1, kN, 1});
  driver.write_descriptor(GuestAddress(kIndirect), 1, {kData, 1, kN, 0});
  driver.write_descriptor(0, {kIndirect, 32, kI, 0});
  EXPECT_EQ(walk_error(0), QueueErrc::kChainTooLong);
  driver.write_descriptor(GuestAddress(kIndirect), 1, {kData, 1, kN, 2});  // only 2 entries
  EXPECT_EQ(walk_error(0), QueueErrc::kInvalidDescriptorIndex);
  driver.set_next_free(1);
  expect_queue_still_works();
}

TEST_F(ChainTest, BufferWrappingPast2To64) {
  driver.write_descriptor(0, {~uint64_t{0} - 3, 8, 0, 0});
  EXPECT_EQ(walk_error(0), QueueErrc::kDescriptorWraps);
  driver.write_descriptor(0, {~uint64_t{0} - 7, 8, 0, 0});  // would end exactly at 2^64: not representable
  EXPECT_EQ(walk_error(0), QueueErrc::kDescriptorWraps);
  driver.write_descriptor(0, {~uint64_t{0} - 8, 8, 0, 0});  // ends at 2^64 - 1: no wrap, but not RAM
  driver.publish(0);
  auto chain = pop_and_collect();
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(error_of(read_readable(memory, *chain, 64)), MemoryErrc::kOutOfBounds);
  driver.set_next_free(1);
  expect_queue_still_works();
}

TEST_F(ChainTest, TotalLengthAbove4GiBIsRejected) {
  driver.write_descriptor(0, {0, 0xffffffff, kN, 1});
  driver.write_descriptor(1, {0, 1, 0, 0});
  EXPECT_EQ(walk_error(0), QueueErrc::kChainTooLarge);
  // total_len() counts only what was returned (found by fuzz/descriptor_chain).
  driver.publish(0);
  DescriptorChain chain = pop_chain();
  EXPECT_TRUE(chain.next(memory).ok());
  EXPECT_EQ(error_of(chain.next(memory)), QueueErrc::kChainTooLarge);
  EXPECT_EQ(chain.total_len(), 0xffffffffu);
  driver.set_next_free(2);
  expect_queue_still_works();
}

TEST_F(ChainTest, ZeroLengthAndHugeDescriptorsAreCheckedAtAccess) {
  driver.write_descriptor(0, {kData, 0, kN, 1});
  driver.write_descriptor(1, {0, 0xffffffff, kN, 2});  // 4 GiB - 1 from 0: far beyond 1 MiB of RAM
  driver.write_descriptor(2, {kData, 0, kW, 0});
  driver.publish(0);
  auto chain = pop_and_collect();
  ASSERT_TRUE(chain.ok()) << chain.error().message();
  EXPECT_EQ(chain->readable_len, 0xffffffffu);
  EXPECT_EQ(error_of(read_readable(memory, *chain, 4096)), QueueErrc::kShortBuffer);  // bounded
  std::vector<uint8_t> header(16);
  ChainReader reader(memory, chain->readable);
  EXPECT_TRUE(reader.read(header).ok());      // the first 16 bytes are RAM
  std::vector<uint8_t> beyond_ram(kRamSize);  // from 16 on: runs past the end of RAM
  EXPECT_EQ(error_of(reader.read(beyond_ram)), MemoryErrc::kOutOfBounds);
  driver.set_next_free(3);
  expect_queue_still_works();
}

TEST_F(ChainTest, ReadableAfterWritableIsRejected) {
  std::vector<Buffer> buffers{{kData, 16, true}, {kData + 0x100, 16, false}};
  driver.add_chain(buffers);
  EXPECT_EQ(error_of(pop_and_collect()), QueueErrc::kReadableAfterWritable);
  expect_queue_still_works();
}

TEST_F(ChainTest, DescriptorTableOutsideRamIsAnErrorNotACrash) {
  DescriptorChain chain(GuestAddress(kRamSize), 16, 0);  // a queue that was never validated
  EXPECT_EQ(error_of(chain.next(memory)), MemoryErrc::kOutOfBounds);
}

}  // namespace
}  // namespace vmm::virtio
