// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-rng: requests are filled with entropy up to the per-request cap,
// broken chains are completed empty and later ones still work, a broken
// ring puts the device in NEEDS_RESET.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <vmm/virtio/rng.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace vmm::virtio {
namespace {

using testing::Buffer;

class RecordingSignals final : public DeviceSignals {
 public:
  void used_buffers() override { ++used; }
  void config_changed() override {}
  void needs_reset() override { ++resets; }
  int used = 0, resets = 0;
};

constexpr uint64_t kRamSize = 1 << 20;
constexpr uint8_t kPattern = 0x5a;

struct RngTest : ::testing::Test {
  RngTest()
      : memory(GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), kRamSize}}).value()),
        loop(EventLoop::create().value()),
        device(RngDevice::create().value()),
        driver(memory, GuestAddress(0x1000), 16) {
    EXPECT_TRUE(device->attach_to(loop).ok());
    std::vector<uint8_t> pattern(kRamSize - 0x10000, kPattern);
    EXPECT_TRUE(memory.write(GuestAddress(0x10000), pattern).ok());
  }
  ~RngTest() override { device->detach_from(loop); }

  void activate(bool event_idx = false) {
    std::vector<Queue> queues;
    queues.push_back(Queue::create(RngDevice::kQueueSize).value());
    driver.configure(queues[0], event_idx);
    ASSERT_TRUE(device->activate(memory, std::move(queues), kCommonFeatures, signals).ok());
    run();
  }
  void run() { ASSERT_TRUE(loop.run_once(0).ok()); }
  void notify() {
    ASSERT_TRUE(device->queue_event(0).write(1).ok());
    run();
  }
  std::vector<uint8_t> guest_bytes(uint64_t addr, size_t len) {
    std::vector<uint8_t> bytes(len);
    EXPECT_TRUE(memory.read(GuestAddress(addr), bytes).ok());
    return bytes;
  }
  // Bytes of [addr, addr + len) that still hold the test pattern.
  size_t untouched(uint64_t addr, size_t len) {
    auto bytes = guest_bytes(addr, len);
    return static_cast<size_t>(std::count(bytes.begin(), bytes.end(), kPattern));
  }

  GuestMemory memory;
  EventLoop loop;
  std::shared_ptr<RngDevice> device;
  testing::MockQueue driver;
  RecordingSignals signals;
};

TEST_F(RngTest, DescribesItself) {
  EXPECT_EQ(device->type(), DeviceType::kRng);
  EXPECT_EQ(device->num_queues(), 1u);
  EXPECT_EQ(device->queue_max_size(0), RngDevice::kQueueSize);
  EXPECT_EQ(device->features(), kCommonFeatures);
  EXPECT_EQ(device->config_size(), 0u);
}

TEST_F(RngTest, FillsTheWritableBuffers) {
  activate();
  std::array<Buffer, 2> buffers{{{0x20000, 100, true}, {0x30000, 28, true}}};
  uint16_t head = driver.add_chain(buffers);
  notify();
  ASSERT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(driver.used(0).id, head);
  EXPECT_EQ(driver.used(0).len, 128u);
  // 128 random bytes that all equal the pattern would be a broken generator.
  EXPECT_LT(untouched(0x20000, 100), 20u);
  EXPECT_LT(untouched(0x30000, 28), 10u);
  EXPECT_EQ(untouched(0x30000 + 28, 64), 64u);  // nothing past the buffer
  EXPECT_EQ(signals.used, 1);
}

TEST_F(RngTest, TwoRequestsGetDifferentBytes) {
  activate();
  std::array<Buffer, 1> first{{{0x20000, 32, true}}};
  std::array<Buffer, 1> second{{{0x21000, 32, true}}};
  driver.add_chain(first);
  driver.add_chain(second);
  notify();
  ASSERT_EQ(driver.used_idx(), 2);
  EXPECT_NE(guest_bytes(0x20000, 32), guest_bytes(0x21000, 32));
}

TEST_F(RngTest, HugeRequestIsAnsweredWithTheCap) {
  activate();
  std::array<Buffer, 1> huge{{{0x20000, 1u << 30, true}}};  // 1 GiB, mostly beyond RAM
  driver.add_chain(huge);
  notify();
  ASSERT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(driver.used(0).len, RngDevice::kMaxBytesPerRequest);
  EXPECT_EQ(untouched(0x20000 + RngDevice::kMaxBytesPerRequest, 4096), 4096u);
}

TEST_F(RngTest, ReadableBuffersAreIgnored) {
  activate();
  std::array<Buffer, 2> buffers{{{0x20000, 64, false}, {0x30000, 16, true}}};
  driver.add_chain(buffers);
  notify();
  ASSERT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(driver.used(0).len, 16u);
  EXPECT_EQ(untouched(0x20000, 64), 64u);
}

TEST_F(RngTest, BufferOutsideRamIsCompletedEmptyAndLaterRequestsWork) {
  activate();
  std::array<Buffer, 1> outside{{{kRamSize - 8, 64, true}}};
  std::array<Buffer, 1> good{{{0x20000, 16, true}}};
  driver.add_chain(outside);
  driver.add_chain(good);
  notify();
  ASSERT_EQ(driver.used_idx(), 2);
  EXPECT_EQ(driver.used(0).len, 0u);
  EXPECT_EQ(driver.used(1).len, 16u);
  EXPECT_TRUE(device->failure().empty());
}

TEST_F(RngTest, LoopingChainIsCompletedEmptyAndLaterRequestsWork) {
  activate();
  // Descriptor 0 -> 1 -> 0 -> ...: DescriptorChain stops it as too long.
  driver.write_descriptor(0, RawDescriptor{0x20000, 16, kDescFWrite | kDescFNext, 1});
  driver.write_descriptor(1, RawDescriptor{0x20010, 16, kDescFWrite | kDescFNext, 0});
  driver.publish(0);
  driver.set_next_free(2);
  std::array<Buffer, 1> good{{{0x30000, 16, true}}};
  driver.add_chain(good);
  notify();
  ASSERT_EQ(driver.used_idx(), 2);
  EXPECT_EQ(driver.used(0).id, 0u);
  EXPECT_EQ(driver.used(0).len, 0u);
  EXPECT_EQ(driver.used(1).len, 16u);
  EXPECT_TRUE(device->failure().empty());
}

TEST_F(RngTest, AvailIndexTooFarNeedsReset) {
  activate();
  driver.set_avail_idx(100);  // claims 100 new entries in a 16-entry ring
  notify();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_NE(device->failure().find("virtio-rng"), std::string::npos);
  EXPECT_EQ(driver.used_idx(), 0);
  // Processing stopped until reset.
  notify();
  EXPECT_EQ(signals.resets, 1);
}

TEST_F(RngTest, HeadOutsideTheTableNeedsReset) {
  activate();
  driver.publish(40);
  notify();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_FALSE(device->failure().empty());
}

TEST_F(RngTest, WorksAgainAfterResetAndReactivation) {
  activate();
  driver.set_avail_idx(100);
  notify();
  ASSERT_EQ(signals.resets, 1);
  device->reset();
  testing::MockQueue fresh(memory, GuestAddress(0x1000), 16);
  driver = fresh;
  activate();
  std::array<Buffer, 1> good{{{0x20000, 8, true}}};
  driver.add_chain(good);
  notify();
  ASSERT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(driver.used(0).len, 8u);
}

TEST_F(RngTest, EventIdxRearmsDriverNotifications) {
  activate(/*event_idx=*/true);
  std::array<Buffer, 1> one{{{0x20000, 8, true}}};
  driver.add_chain(one);
  driver.add_chain(one);
  driver.add_chain(one);
  notify();
  ASSERT_EQ(driver.used_idx(), 3);
  // §2.7.10: the driver is asked to notify once it publishes entry 3.
  EXPECT_EQ(driver.avail_event(), 3);
}

TEST_F(RngTest, NoInterruptFlagSuppressesNotification) {
  activate();
  driver.set_avail_flags(kAvailFNoInterrupt);
  std::array<Buffer, 1> one{{{0x20000, 8, true}}};
  driver.add_chain(one);
  notify();
  ASSERT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(signals.used, 0);
}

TEST_F(RngTest, FullRingIsServedInOneRound) {
  activate();
  std::array<Buffer, 1> one{{{0x20000, 4, true}}};
  for (int i = 0; i < 16; ++i) driver.add_chain(one);
  notify();
  EXPECT_EQ(driver.used_idx(), 16);
  EXPECT_EQ(signals.used, 1);  // one notification per batch
}

}  // namespace
}  // namespace vmm::virtio
