// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The Linux virtio_mmio driver's sequence end to end (drivers/virtio/
// virtio_mmio.c with VIRTIO 1.2 §3.1.1 and §4.2.3): probe, reset,
// negotiate, set up both queues, DRIVER_OK, then a request through
// QueueNotify, the device's event loop, the interrupt and its ACK.
#include <vmm/event/event_loop.hpp>

#include "mmio_test_support.hpp"

namespace vmm::virtio::mmio_test {
namespace {

using namespace mmio;

struct DriverInitTest : MmioTest {
  DriverInitTest()
      : loop(EventLoop::create().value()),
        ring0(memory, GuestAddress(0x1000), 16),
        ring1(memory, GuestAddress(0x4000), 8) {
    EXPECT_TRUE(device->attach_to(loop).ok());
  }
  ~DriverInitTest() override { device->detach_from(loop); }

  void run_device() { ASSERT_TRUE(loop.run_once(0).ok()); }

  // What virtio_mmio_probe, register_virtio_device, virtio_dev_probe and
  // vm_find_vqs do, in their order. Returns the features the driver took.
  uint64_t linux_init(uint64_t wanted) {
    EXPECT_EQ(read32(Register::kMagicValue), kMagicValue);
    EXPECT_EQ(read32(Register::kVersion), 2u);
    EXPECT_EQ(read32(Register::kDeviceId), static_cast<uint32_t>(DeviceType::kBlock));
    EXPECT_NE(read32(Register::kVendorId), 0u);
    write32(Register::kStatus, 0);
    add_status(kStatusAcknowledge);
    add_status(kStatusDriver);
    write32(Register::kDeviceFeaturesSel, 1);
    uint64_t offered = uint64_t{read32(Register::kDeviceFeatures)} << 32;
    write32(Register::kDeviceFeaturesSel, 0);
    offered |= read32(Register::kDeviceFeatures);
    EXPECT_EQ(offered, kOfferedFeatures);
    uint64_t accepted = offered & wanted;
    write_driver_features(accepted);
    add_status(kStatusFeaturesOk);
    EXPECT_NE(read32(Register::kStatus) & kStatusFeaturesOk, 0u) << "device refused the features";
    for (uint32_t index : {0u, 1u}) {
      write32(Register::kQueueSel, index);
      EXPECT_EQ(read32(Register::kQueueReady), 0u);
      EXPECT_GE(read32(Register::kQueueNumMax), index == 0 ? ring0.size() : ring1.size());
      setup_queue(index, index == 0 ? ring0 : ring1);
      EXPECT_EQ(read32(Register::kQueueReady), 1u);
    }
    add_status(kStatusDriverOk);
    return accepted;
  }

  // vm_notify + the device loop + vm_interrupt. Returns InterruptStatus as read.
  uint32_t notify_and_take_interrupt(uint32_t queue_index) {
    write32(Register::kQueueNotify, queue_index);
    run_device();
    uint32_t pending = read32(Register::kInterruptStatus);
    write32(Register::kInterruptAck, pending);
    return pending;
  }

  EventLoop loop;
  testing::MockQueue ring0;
  testing::MockQueue ring1;
};

TEST_F(DriverInitTest, LinuxSequenceThenOneRequestPerQueue) {
  linux_init(kFVersion1 | kFRingIndirectDesc | kFeatureLow);
  ASSERT_TRUE(device->active());
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
  ASSERT_EQ(device->activated_queues.size(), 2u);
  EXPECT_EQ(device->activated_queues[0].size(), 16);
  EXPECT_EQ(device->activated_queues[1].size(), 8);
  EXPECT_EQ(device->activated_queues[1].used_ring().value(), ring1.used_ring().value());
  EXPECT_FALSE(device->activated_queues[0].event_idx());
  run_device();  // activation wakes the loop: nothing queued, no interrupt
  EXPECT_EQ(interrupt.count, 0);

  std::array<testing::Buffer, 2> request{{{0x10000, 16, false}, {0x10100, 64, true}}};
  uint16_t head = ring0.add_chain(request);
  EXPECT_EQ(notify_and_take_interrupt(0), kInterruptVring);
  EXPECT_EQ(interrupt.count, 1);
  ASSERT_EQ(ring0.used_idx(), 1);
  EXPECT_EQ(ring0.used(0).id, head);
  EXPECT_EQ(ring0.used(0).len, 64u);
  EXPECT_EQ(read32(Register::kInterruptStatus), 0u);

  testing::Buffer reply{0x11000, 8, true};
  ring1.add_chain(std::span(&reply, 1));
  EXPECT_EQ(notify_and_take_interrupt(1), kInterruptVring);
  EXPECT_EQ(ring1.used_idx(), 1);
  EXPECT_EQ(ring0.used_idx(), 1);
}

TEST_F(DriverInitTest, EventIdxNegotiatedReachesTheQueues) {
  linux_init(kFVersion1 | kFRingEventIdx);
  ASSERT_TRUE(device->active());
  EXPECT_TRUE(device->activated_queues[0].event_idx());
  EXPECT_TRUE(device->activated_queues[1].event_idx());
  ring0.set_used_event(1);  // interrupt only after the second completion (§2.7.7.2)
  testing::Buffer buffer{0x10000, 16, false};
  ring0.add_chain(std::span(&buffer, 1));
  EXPECT_EQ(notify_and_take_interrupt(0), 0u);
  ring0.add_chain(std::span(&buffer, 1));
  EXPECT_EQ(notify_and_take_interrupt(0), kInterruptVring);
  EXPECT_EQ(ring0.used_idx(), 2);
  EXPECT_EQ(interrupt.count, 1);
}

TEST_F(DriverInitTest, BrokenRingNeedsResetAndReinitializationRecovers) {
  linux_init(kFVersion1);
  ring0.set_avail_idx(40);  // more than the queue size ahead: ring-level breakage
  EXPECT_EQ(notify_and_take_interrupt(0), kInterruptConfig);
  EXPECT_NE(transport.status() & kStatusNeedsReset, 0u);
  EXPECT_EQ(device->failure(), "ring broken");
  EXPECT_EQ(read32(Register::kConfigGeneration), 1u);

  // The driver resets and starts over on fresh rings.
  ring0 = testing::MockQueue(memory, GuestAddress(0x1000), 16);
  linux_init(kFVersion1);
  ASSERT_TRUE(device->active());
  EXPECT_EQ(device->resets, 1);
  EXPECT_EQ(transport.status() & kStatusNeedsReset, 0u);
  testing::Buffer buffer{0x10000, 16, true};
  ring0.add_chain(std::span(&buffer, 1));
  EXPECT_EQ(notify_and_take_interrupt(0), kInterruptVring);
  EXPECT_EQ(ring0.used(0).len, 16u);
  EXPECT_EQ(read32(Register::kConfigGeneration), 1u);  // still monotonic after the reset
}

TEST_F(DriverInitTest, NotifyWithoutNewBuffersRaisesNothing) {
  linux_init(kFVersion1);
  run_device();
  EXPECT_EQ(notify_and_take_interrupt(0), 0u);
  EXPECT_EQ(interrupt.count, 0);
}

}  // namespace
}  // namespace vmm::virtio::mmio_test
