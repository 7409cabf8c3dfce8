// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The VirtioDevice base: queue events reach process_queue only while the
// device is active, activation processes queued work, fail() reports
// NEEDS_RESET once and stops processing until reset.
#include <gtest/gtest.h>

#include <vector>

#include <vmm/virtio/device.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace vmm::virtio {
namespace {

class RecordingSignals final : public DeviceSignals {
 public:
  void used_buffers() override { ++used; }
  void config_changed() override { ++config; }
  void needs_reset() override { ++resets; }
  int used = 0, config = 0, resets = 0;
};

// Completes every chain with length 0; fails the device on a chain of 3+ buffers.
class EchoDevice final : public VirtioDevice {
 public:
  static std::unique_ptr<EchoDevice> create() {
    auto events = create_events(2);
    EXPECT_TRUE(events.ok());
    return std::unique_ptr<EchoDevice>(new EchoDevice(std::move(events).value()));
  }
  DeviceType type() const override { return DeviceType::kRng; }
  uint64_t features() const override { return kCommonFeatures; }
  uint32_t config_size() const override { return 4; }
  std::vector<size_t> processed;
  int resets = 0;

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override {
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(0xa0 + offset + i);
  }
  void on_reset() override { ++resets; }
  void process_queue(size_t index) override {
    processed.push_back(index);
    last_stop = serve_queue(
        index, "echo",
        [this](DescriptorChain& chain) -> std::optional<uint32_t> {
          auto buffers = chain.collect(memory());
          if (buffers && buffers->readable.size() >= 3) fail("too many buffers");
          if (defer_next) {
            defer_next = false;
            return std::nullopt;
          }
          ++served;
          return 0;
        },
        [this] { return !idle; });
  }

 public:
  using VirtioDevice::QueueStop;
  QueueStop last_stop = QueueStop::kEmpty;
  bool defer_next = false, idle = false;
  int served = 0;

 private:
  explicit EchoDevice(Events events) : VirtioDevice({16, 8}, std::move(events.queues), std::move(events.wake)) {}
};

struct DeviceTest : ::testing::Test {
  DeviceTest()
      : memory(GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), 1 << 20}}).value()),
        loop(EventLoop::create().value()),
        device(EchoDevice::create()),
        driver(memory, GuestAddress(0x1000), 16) {
    EXPECT_TRUE(device->attach_to(loop).ok());
  }
  ~DeviceTest() override { device->detach_from(loop); }

  std::vector<Queue> queues(bool event_idx = false) {
    std::vector<Queue> qs;
    qs.push_back(Queue::create(16).value());
    qs.push_back(Queue::create(8).value());
    driver.configure(qs[0], event_idx);
    return qs;
  }
  void run() { ASSERT_TRUE(loop.run_once(0).ok()); }

  GuestMemory memory;
  EventLoop loop;
  std::unique_ptr<EchoDevice> device;
  testing::MockQueue driver;
  RecordingSignals signals;
};

TEST_F(DeviceTest, ReportsQueueLayout) {
  EXPECT_EQ(device->num_queues(), 2u);
  EXPECT_EQ(device->queue_max_size(0), 16);
  EXPECT_EQ(device->queue_max_size(1), 8);
  EXPECT_NE(device->queue_event(0).fd(), device->queue_event(1).fd());
}

TEST_F(DeviceTest, ConfigReadsGoThroughTheHook) {
  std::array<uint8_t, 2> bytes{};
  device->read_config(1, bytes);
  EXPECT_EQ(bytes[0], 0xa1);
  EXPECT_EQ(bytes[1], 0xa2);
}

TEST_F(DeviceTest, NotificationsBeforeActivationAreDropped) {
  testing::Buffer buffer{0x20000, 16, false};
  driver.add_chain(std::span(&buffer, 1));
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_TRUE(device->processed.empty());
  EXPECT_FALSE(device->active());
}

TEST_F(DeviceTest, ActivationProcessesWhatIsAlreadyQueued) {
  testing::Buffer buffer{0x20000, 16, false};
  driver.add_chain(std::span(&buffer, 1));
  ASSERT_TRUE(device->activate(memory, queues(), kCommonFeatures, signals).ok());
  EXPECT_TRUE(device->active());
  run();
  EXPECT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(signals.used, 1);
}

TEST_F(DeviceTest, QueueEventRunsOnlyThatQueue) {
  ASSERT_TRUE(device->activate(memory, queues(), kCommonFeatures, signals).ok());
  run();
  device->processed.clear();
  testing::Buffer buffer{0x20000, 16, false};
  driver.add_chain(std::span(&buffer, 1));
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_EQ(device->processed, std::vector<size_t>{0});
  EXPECT_EQ(driver.used_idx(), 1);
}

TEST_F(DeviceTest, ActivationWithWrongQueueCountFails) {
  std::vector<Queue> one;
  one.push_back(Queue::create(16).value());
  EXPECT_FALSE(device->activate(memory, std::move(one), kCommonFeatures, signals).ok());
  EXPECT_FALSE(device->active());
}

TEST_F(DeviceTest, FailReportsNeedsResetOnceAndStopsProcessing) {
  ASSERT_TRUE(device->activate(memory, queues(), kCommonFeatures, signals).ok());
  run();
  std::array<testing::Buffer, 3> three{{{0x20000, 1, false}, {0x20001, 1, false}, {0x20002, 1, false}}};
  driver.add_chain(three);
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_EQ(signals.resets, 1);
  EXPECT_EQ(device->failure(), "too many buffers");
  device->processed.clear();
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_TRUE(device->processed.empty());
  EXPECT_EQ(signals.resets, 1);
}

// serve_queue: the loop every device uses.
TEST_F(DeviceTest, ServeQueueMovesAvailEventWithEventIdx) {
  ASSERT_TRUE(device->activate(memory, queues(true), kCommonFeatures, signals).ok());
  run();
  testing::Buffer buffer{0x20000, 16, false};
  for (int i = 0; i < 3; ++i) driver.add_chain(std::span(&buffer, 1));
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_EQ(device->served, 3);
  EXPECT_EQ(driver.used_idx(), 3);
  EXPECT_EQ(driver.avail_event(), 3);  // §2.7.10: notify us when avail.idx passes 3
  EXPECT_EQ(device->last_stop, EchoDevice::QueueStop::kEmpty);
}

TEST_F(DeviceTest, ServeQueuePutsADeferredChainBack) {
  ASSERT_TRUE(device->activate(memory, queues(), kCommonFeatures, signals).ok());
  run();
  testing::Buffer buffer{0x20000, 16, false};
  driver.add_chain(std::span(&buffer, 1));
  driver.add_chain(std::span(&buffer, 1));
  device->defer_next = true;
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_EQ(device->last_stop, EchoDevice::QueueStop::kDeferred);
  EXPECT_EQ(driver.used_idx(), 0);
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_EQ(device->served, 2);  // the deferred chain came again, first
  EXPECT_EQ(driver.used_idx(), 2);
}

TEST_F(DeviceTest, ServeQueuePopsNothingWithoutWork) {
  ASSERT_TRUE(device->activate(memory, queues(), kCommonFeatures, signals).ok());
  run();
  testing::Buffer buffer{0x20000, 16, false};
  driver.add_chain(std::span(&buffer, 1));
  device->idle = true;
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_EQ(device->last_stop, EchoDevice::QueueStop::kIdle);
  EXPECT_EQ(driver.used_idx(), 0);
  EXPECT_EQ(signals.used, 0);
}

TEST_F(DeviceTest, ServeQueueServesOneRingPerCallThenWakesTheLoop) {
  ASSERT_TRUE(device->activate(memory, queues(), kCommonFeatures, signals).ok());
  run();
  testing::Buffer buffer{0x20000, 16, false};
  for (int i = 0; i < 16; ++i) driver.add_chain(std::span(&buffer, 1));
  ASSERT_TRUE(device->queue_event(0).write(1).ok());
  run();
  EXPECT_EQ(device->served, 16);
  EXPECT_EQ(device->last_stop, EchoDevice::QueueStop::kBudgetSpent);
  for (int i = 0; i < 4; ++i) driver.add_chain(std::span(&buffer, 1));
  run();  // the wake-up: the rest is served without a new notification
  EXPECT_EQ(device->served, 20);
  EXPECT_EQ(driver.used_idx(), 20);
}

TEST_F(DeviceTest, ResetDeactivatesAndCallsTheHook) {
  ASSERT_TRUE(device->activate(memory, queues(), kCommonFeatures, signals).ok());
  device->reset();
  EXPECT_FALSE(device->active());
  EXPECT_EQ(device->resets, 1);
  device->reset();
  EXPECT_EQ(device->resets, 1);  // already inactive: no hook
}

}  // namespace
}  // namespace vmm::virtio
