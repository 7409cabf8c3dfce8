// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Queue configuration (VIRTIO 1.2 §2.7), pop (§2.7.6) and add_used (§2.7.8).
#include "test_support.hpp"

namespace vmm::virtio {
namespace {

using testing::Buffer;

TEST(QueueCreate, MaxSizeIsAPowerOfTwoUpTo32768) {
  for (uint16_t bad : {0, 3, 100, 32767, 65535}) {
    EXPECT_EQ(error_of(Queue::create(bad)), QueueErrc::kInvalidMaxSize) << bad;
  }
  for (uint16_t good : {1, 2, 256, 32768}) {
    auto queue = Queue::create(good);
    ASSERT_TRUE(queue.ok());
    EXPECT_EQ(queue->max_size(), good);
    EXPECT_FALSE(queue->ready());
  }
}

TEST_F(QueueTest, ValidateRejectsBadSizes) {
  for (uint16_t bad : {0, 3, 12, 32}) {  // max is 16
    queue.set_ready(false);
    queue.set_size(bad);
    EXPECT_EQ(error_of(queue.validate(memory)), QueueErrc::kInvalidSize) << bad;
  }
  queue.set_size(8);
  EXPECT_TRUE(queue.validate(memory).ok());
}

TEST_F(QueueTest, ValidateRejectsMisalignedRings) {
  queue.set_ready(false);
  queue.set_desc_table(GuestAddress(kRings + 8));
  EXPECT_EQ(error_of(queue.validate(memory)), QueueErrc::kMisalignedRing);
  queue.set_desc_table(driver.desc_table());
  queue.set_avail_ring(driver.avail_ring().unchecked_add(1));
  EXPECT_EQ(error_of(queue.validate(memory)), QueueErrc::kMisalignedRing);
  queue.set_avail_ring(driver.avail_ring());
  queue.set_used_ring(driver.used_ring().unchecked_add(2));
  auto error = queue.validate(memory);
  EXPECT_EQ(error_of(error), QueueErrc::kMisalignedRing);
  EXPECT_NE(error.error().message().find("used ring at 0x"), std::string::npos) << error.error().message();
}

TEST_F(QueueTest, ValidateRejectsRingsOutsideGuestRam) {
  queue.set_ready(false);
  queue.set_desc_table(GuestAddress(kRamSize - 16 * 8));  // 16 entries need 256 bytes
  EXPECT_EQ(error_of(queue.validate(memory)), QueueErrc::kRingOutOfBounds);
  queue.set_desc_table(driver.desc_table());
  queue.set_avail_ring(GuestAddress(kRamSize * 4));
  EXPECT_EQ(error_of(queue.validate(memory)), QueueErrc::kRingOutOfBounds);
  queue.set_avail_ring(driver.avail_ring());
  queue.set_used_ring(GuestAddress(~uint64_t{0} - 3));  // 4-aligned, wraps past 2^64
  EXPECT_EQ(error_of(queue.validate(memory)), QueueErrc::kRingOutOfBounds);
}

TEST_F(QueueTest, ConfigurationIsFrozenWhileReady) {
  queue.set_size(4);
  queue.set_desc_table(GuestAddress(0));
  queue.set_used_ring(GuestAddress(0x40));
  EXPECT_EQ(queue.size(), 16u);
  EXPECT_EQ(queue.desc_table(), driver.desc_table());
  EXPECT_EQ(queue.used_ring(), driver.used_ring());
}

TEST_F(QueueTest, NotReadyQueueRefusesWork) {
  queue.set_ready(false);
  EXPECT_EQ(error_of(queue.pop(memory)), QueueErrc::kNotReady);
  EXPECT_EQ(error_of(queue.add_used(memory, 0, 0)), QueueErrc::kNotReady);
  queue.set_ready(true);
  queue.set_ready(false);
  queue.set_size(0);  // a size that was never validated must not divide by zero
  queue.set_ready(true);
  EXPECT_EQ(error_of(queue.pop(memory)), QueueErrc::kInvalidSize);
  driver.configure(queue);
  expect_queue_still_works();
}

TEST_F(QueueTest, PopReturnsNothingWhenTheDriverPublishedNothing) {
  auto popped = queue.pop(memory);
  ASSERT_TRUE(popped.ok());
  EXPECT_FALSE(popped->has_value());
}

TEST_F(QueueTest, PopsASingleDescriptorAndCompletesIt) {
  std::vector<Buffer> buffers{{kData, 64, true}};
  uint16_t head = driver.add_chain(buffers);
  DescriptorChain chain = pop_chain();
  EXPECT_EQ(chain.head(), head);
  auto first = chain.next(memory);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ(**first, (Descriptor{GuestAddress(kData), 64, true}));
  auto end = chain.next(memory);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
  EXPECT_EQ(queue.next_avail(), 1u);

  ASSERT_TRUE(queue.add_used(memory, head, 17).ok());
  EXPECT_EQ(driver.used_idx(), 1u);
  EXPECT_EQ(driver.used(0).id, head);
  EXPECT_EQ(driver.used(0).len, 17u);
  EXPECT_FALSE(queue.pop(memory)->has_value());
}

TEST_F(QueueTest, UndoPopReturnsTheSameChainAgain) {
  std::vector<Buffer> first{{kData, 64, false}};
  std::vector<Buffer> second{{kData + 64, 32, true}};
  uint16_t head1 = driver.add_chain(first);
  uint16_t head2 = driver.add_chain(second);
  EXPECT_EQ(pop_chain().head(), head1);
  queue.undo_pop();
  EXPECT_EQ(queue.next_avail(), 0u);
  EXPECT_EQ(pop_chain().head(), head1);
  EXPECT_EQ(pop_chain().head(), head2);
  queue.undo_pop();
  EXPECT_EQ(pop_chain().head(), head2);
  EXPECT_FALSE(queue.pop(memory)->has_value());
  // Across the 16-bit wrap of next_avail as well.
  queue.set_next_avail(65535);
  driver.set_avail_idx(65535);
  uint16_t head3 = driver.add_chain(first);
  EXPECT_EQ(pop_chain().head(), head3);
  EXPECT_EQ(queue.next_avail(), 0u);
  queue.undo_pop();
  EXPECT_EQ(queue.next_avail(), 65535u);
  EXPECT_EQ(pop_chain().head(), head3);
}

TEST_F(QueueTest, SixteenBitIndicesWrapAround) {
  queue.set_next_avail(65534);
  queue.set_next_used(65534);
  driver.set_avail_idx(65534);
  driver.set_next_free(14);
  std::vector<uint16_t> heads;
  for (int i = 0; i < 4; ++i) {
    std::vector<Buffer> buffers{{kData + 0x100u * i, 8, false}};
    heads.push_back(driver.add_chain(buffers));
  }
  EXPECT_EQ(driver.avail_idx(), 2u);
  for (int i = 0; i < 4; ++i) {
    DescriptorChain chain = pop_chain();
    EXPECT_EQ(chain.head(), heads[i]);
    ASSERT_TRUE(queue.add_used(memory, chain.head(), 8).ok());
  }
  EXPECT_EQ(queue.next_avail(), 2u);
  EXPECT_EQ(driver.used_idx(), 2u);
  EXPECT_EQ(driver.used(65535).id, heads[1]);  // slot 15
  EXPECT_EQ(driver.used(1).id, heads[3]);      // slot 1
  EXPECT_FALSE(queue.pop(memory)->has_value());
}

TEST_F(QueueTest, AFullRingIsAccepted) {
  for (int i = 0; i < 16; ++i) {
    std::vector<Buffer> buffers{{kData, 1, false}};
    driver.add_chain(buffers);
  }
  for (int i = 0; i < 16; ++i) EXPECT_TRUE(queue.pop(memory)->has_value());
  EXPECT_FALSE(queue.pop(memory)->has_value());
}

TEST_F(QueueTest, AvailIndexMoreThanSizeAheadNeedsReset) {
  driver.set_avail_idx(17);
  auto popped = queue.pop(memory);
  EXPECT_EQ(error_of(popped), QueueErrc::kAvailIndexTooFar);
  EXPECT_NE(popped.error().message().find("17 entries ahead"), std::string::npos) << popped.error().message();
  EXPECT_EQ(queue.next_avail(), 0u);
  // The device enters NEEDS_RESET; the driver resets and sets the queue up again.
  queue.reset();
  driver = testing::MockQueue(memory, GuestAddress(kRings), 16);
  driver.configure(queue);
  ASSERT_TRUE(queue.validate(memory).ok());
  expect_queue_still_works();
}

TEST_F(QueueTest, HeadOutsideTheTableIsConsumedAndReported) {
  driver.publish(16);
  EXPECT_EQ(error_of(queue.pop(memory)), QueueErrc::kInvalidDescriptorIndex);
  EXPECT_EQ(queue.next_avail(), 1u);
  expect_queue_still_works();
}

TEST_F(QueueTest, AddUsedRejectsHeadOutsideTheTable) {
  EXPECT_EQ(error_of(queue.add_used(memory, 16, 0)), QueueErrc::kInvalidDescriptorIndex);
  EXPECT_EQ(driver.used_idx(), 0u);
  expect_queue_still_works();
}

TEST_F(QueueTest, ResetForgetsConfigurationAndIndices) {
  std::vector<Buffer> buffers{{kData, 1, false}};
  driver.add_chain(buffers);
  (void)pop_chain();
  queue.set_event_idx(true);
  queue.reset();
  EXPECT_FALSE(queue.ready());
  EXPECT_FALSE(queue.event_idx());
  EXPECT_EQ(queue.size(), 16u);
  EXPECT_EQ(queue.next_avail(), 0u);
  EXPECT_EQ(queue.next_used(), 0u);
  EXPECT_EQ(queue.desc_table(), GuestAddress(0));
}

}  // namespace
}  // namespace vmm::virtio
