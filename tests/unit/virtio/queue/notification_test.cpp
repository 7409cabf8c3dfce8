// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Notification suppression, VIRTIO 1.2 §2.7.7 (used buffers) and §2.7.10
// (available buffers), with and without VIRTIO_F_EVENT_IDX.
#include "test_support.hpp"

namespace vmm::virtio {
namespace {

using testing::Buffer;

class NotificationTest : public QueueTest {
 protected:
  // Pops and completes one new one-buffer chain.
  void complete_one() {
    std::vector<Buffer> buffers{{kData, 1, false}};
    driver.add_chain(buffers);
    DescriptorChain chain = pop_chain();
    ASSERT_TRUE(queue.add_used(memory, chain.head(), 0).ok());
  }
  bool notify() {
    auto answer = queue.needs_notification(memory);
    EXPECT_TRUE(answer.ok()) << answer.error().message();
    return answer.ok() && *answer;
  }
};

TEST_F(NotificationTest, FlagsWithoutEventIdx) {
  complete_one();
  EXPECT_TRUE(notify());
  driver.set_avail_flags(kAvailFNoInterrupt);
  complete_one();
  EXPECT_FALSE(notify());
}

TEST_F(NotificationTest, UsedEventDecidesWithEventIdx) {
  driver.configure(queue, /*event_idx=*/true);
  driver.set_used_event(0);
  complete_one();  // used.idx 0 -> 1 passes used_event 0
  EXPECT_TRUE(notify());
  complete_one();  // 1 -> 2: used_event 0 already passed
  EXPECT_FALSE(notify());
  driver.set_used_event(2);
  complete_one();  // 2 -> 3
  EXPECT_TRUE(notify());
  EXPECT_FALSE(notify());  // nothing new since the last answer
  driver.set_used_event(4);
  for (int i = 0; i < 3; ++i) complete_one();  // 3 -> 6 in one batch covers 4
  EXPECT_TRUE(notify());
  driver.set_used_event(10);
  complete_one();
  EXPECT_FALSE(notify());
  driver.set_avail_flags(kAvailFNoInterrupt);  // ignored with EVENT_IDX (§2.7.7.2)
  driver.set_used_event(7);
  complete_one();  // 7 -> 8
  EXPECT_TRUE(notify());
}

TEST_F(NotificationTest, UsedEventAcrossTheSixteenBitWrap) {
  driver.configure(queue, /*event_idx=*/true);
  queue.set_next_avail(65534);
  driver.set_avail_idx(65534);
  queue.set_next_used(65534);
  driver.set_used_event(65535);
  complete_one();
  complete_one();  // 65534 -> 0 covers 65535
  EXPECT_EQ(queue.next_used(), 0u);
  EXPECT_TRUE(notify());
  driver.set_used_event(65535);  // stale: already passed
  complete_one();
  EXPECT_FALSE(notify());
  driver.set_used_event(1);
  complete_one();  // 1 -> 2
  EXPECT_TRUE(notify());
}

TEST_F(NotificationTest, EnableAndDisableWithoutEventIdx) {
  ASSERT_TRUE(queue.disable_notification(memory).ok());
  EXPECT_EQ(driver.used_flags(), kUsedFNoNotify);
  auto pending = queue.enable_notification(memory);
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE(*pending);
  EXPECT_EQ(driver.used_flags(), 0u);
}

TEST_F(NotificationTest, EnableWritesAvailEventAndReportsRaces) {
  driver.configure(queue, /*event_idx=*/true);
  complete_one();
  auto pending = queue.enable_notification(memory);
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE(*pending);
  EXPECT_EQ(driver.avail_event(), 1u);
  std::vector<Buffer> buffers{{kData, 1, false}};
  driver.add_chain(buffers);  // published after the device looked: it must pop again
  pending = queue.enable_notification(memory);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(*pending);
  ASSERT_TRUE(queue.disable_notification(memory).ok());
  EXPECT_EQ(driver.used_flags(), 0u);  // EVENT_IDX: flags untouched
}

TEST_F(NotificationTest, NotReadyQueue) {
  queue.set_ready(false);
  EXPECT_EQ(error_of(queue.needs_notification(memory)), QueueErrc::kNotReady);
  EXPECT_EQ(error_of(queue.enable_notification(memory)), QueueErrc::kNotReady);
  EXPECT_EQ(error_of(queue.disable_notification(memory)), QueueErrc::kNotReady);
}

}  // namespace
}  // namespace vmm::virtio
