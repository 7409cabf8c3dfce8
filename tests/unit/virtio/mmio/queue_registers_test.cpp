// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio queue registers: selection, size and readiness checks, ring
// addresses in two halves, validation at DRIVER_OK, QueueNotify bounds.
#include "mmio_test_support.hpp"

namespace vmm::virtio::mmio_test {
namespace {

using namespace mmio;

TEST_F(MmioTest, QueueNumMaxPerQueueAndZeroBeyond) {
  EXPECT_EQ(read32(Register::kQueueNumMax), 16u);
  write32(Register::kQueueSel, 1);
  EXPECT_EQ(read32(Register::kQueueNumMax), 8u);
  for (uint32_t sel : {2u, 7u, 0xffffffffu}) {
    write32(Register::kQueueSel, sel);
    EXPECT_EQ(read32(Register::kQueueNumMax), 0u);
    write32(Register::kQueueNum, 4);
    write32(Register::kQueueReady, 1);
    EXPECT_EQ(read32(Register::kQueueReady), 0u);
  }
}

TEST_F(MmioTest, QueueNumDefaultsToTheMaximum) {
  write32(Register::kQueueSel, 1);
  write32(Register::kQueueReady, 1);
  EXPECT_EQ(read32(Register::kQueueReady), 1u);
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  EXPECT_EQ(device->activated_queues[1].size(), 8);
}

TEST_F(MmioTest, QueueReadyNeedsAPowerOfTwoSizeWithinTheMaximum) {
  for (uint32_t size : {0u, 3u, 12u, 32u, 0x10010u, 0xffffffffu}) {
    write32(Register::kQueueNum, size);
    write32(Register::kQueueReady, 1);
    EXPECT_EQ(read32(Register::kQueueReady), 0u) << "size " << size;
  }
  write32(Register::kQueueNum, 16);
  write32(Register::kQueueReady, 1);
  EXPECT_EQ(read32(Register::kQueueReady), 1u);
}

TEST_F(MmioTest, QueueReadyZeroUnreadiesAndOtherValuesAreIgnored) {
  write32(Register::kQueueReady, 2);
  EXPECT_EQ(read32(Register::kQueueReady), 0u);
  write32(Register::kQueueReady, 1);
  write32(Register::kQueueReady, 0x101);
  EXPECT_EQ(read32(Register::kQueueReady), 1u);
  write32(Register::kQueueReady, 0);
  EXPECT_EQ(read32(Register::kQueueReady), 0u);
}

TEST_F(MmioTest, RingAddressesAreAssembledFromBothHalves) {
  write32(Register::kQueueDescLow, 0x1000);
  write32(Register::kQueueDescHigh, 0x1);
  write32(Register::kQueueDriverHigh, 0x2);
  write32(Register::kQueueDriverLow, 0x2000);
  write32(Register::kQueueDeviceLow, 0x3000);
  write32(Register::kQueueDeviceHigh, 0x3);
  write32(Register::kQueueDeviceHigh, 0);  // a later write replaces its half only
  write32(Register::kQueueSel, 1);
  write32(Register::kQueueDescLow, 0x4000);
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  ASSERT_EQ(device->activated_queues.size(), 2u);
  EXPECT_EQ(device->activated_queues[0].desc_table().value(), 0x1'0000'1000u);
  EXPECT_EQ(device->activated_queues[0].avail_ring().value(), 0x2'0000'2000u);
  EXPECT_EQ(device->activated_queues[0].used_ring().value(), 0x3000u);
  EXPECT_EQ(device->activated_queues[1].desc_table().value(), 0x4000u);
}

TEST_F(MmioTest, ReadyQueueOutsideGuestRamFailsDriverOk) {
  testing::MockQueue ring(memory, GuestAddress(0x1000), 16);
  setup_queue(0, ring);
  write32(Register::kQueueSel, 1);
  write32(Register::kQueueNum, 8);
  write32(Register::kQueueDescLow, 0);
  write32(Register::kQueueDescHigh, 0x10);  // far beyond 1 MiB of RAM
  write32(Register::kQueueReady, 1);
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  EXPECT_FALSE(device->active());
  EXPECT_NE(transport.status() & kStatusNeedsReset, 0u);
  EXPECT_EQ(transport.interrupt_status(), kInterruptConfig);
  EXPECT_EQ(interrupt.count, 1);
}

TEST_F(MmioTest, MisalignedReadyQueueFailsDriverOk) {
  write32(Register::kQueueDescLow, 0x1008);  // the descriptor table needs 16-byte alignment
  write32(Register::kQueueDriverLow, 0x2000);
  write32(Register::kQueueDeviceLow, 0x3000);
  write32(Register::kQueueReady, 1);
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  EXPECT_FALSE(device->active());
  EXPECT_NE(transport.status() & kStatusNeedsReset, 0u);
}

TEST_F(MmioTest, QueueRegistersAreIgnoredAfterDriverOk) {
  testing::MockQueue ring(memory, GuestAddress(0x1000), 16);
  setup_queue(0, ring);
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  ASSERT_TRUE(device->active());
  write32(Register::kQueueSel, 1);  // ignored: still queue 0
  EXPECT_EQ(read32(Register::kQueueNumMax), 16u);
  write32(Register::kQueueReady, 0);
  EXPECT_EQ(read32(Register::kQueueReady), 1u);
}

TEST_F(MmioTest, QueueRegistersAreIgnoredWhileNeedsReset) {
  device->refuse_activation = true;
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  ASSERT_NE(transport.status() & kStatusNeedsReset, 0u);
  write32(Register::kQueueReady, 1);
  EXPECT_EQ(read32(Register::kQueueReady), 0u);
}

TEST_F(MmioTest, QueueNotifySignalsTheQueueEventOnlyWhenRunning) {
  write32(Register::kQueueNotify, 0);  // before DRIVER_OK: dropped
  EXPECT_EQ(device->queue_event(0).read().value(), 0u);
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  write32(Register::kQueueNotify, 1);
  EXPECT_EQ(device->queue_event(0).read().value(), 0u);
  EXPECT_EQ(device->queue_event(1).read().value(), 1u);
}

TEST_F(MmioTest, QueueNotifyOfAMissingQueueIsIgnored) {
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  for (uint32_t index : {2u, 7u, 0x10000u, 0xffffffffu}) write32(Register::kQueueNotify, index);
  EXPECT_EQ(device->queue_event(0).read().value(), 0u);
  EXPECT_EQ(device->queue_event(1).read().value(), 0u);
  std::array<uint8_t, 2> narrow{0, 0};  // not a 32-bit write
  transport.write(MmioTransport::kQueueNotifyOffset, narrow);
  EXPECT_EQ(device->queue_event(0).read().value(), 0u);
}

TEST(MmioTransportTest, DeviceWithAnInvalidQueueMaximumNeverActivates) {
  auto memory = GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), 1 << 16}}).value();
  fakes::CountingInterruptLine interrupt;
  auto device = FakeDevice::create({16, 12});
  MmioTransport transport(device, memory, interrupt);
  std::array<uint8_t, 4> bytes{};
  transport.read(static_cast<uint64_t>(Register::kQueueNumMax), bytes);
  EXPECT_EQ(bytes, (std::array<uint8_t, 4>{}));
  transport.write(static_cast<uint64_t>(Register::kDriverFeaturesSel), std::array<uint8_t, 4>{1, 0, 0, 0});
  transport.write(static_cast<uint64_t>(Register::kDriverFeatures), std::array<uint8_t, 4>{1, 0, 0, 0});
  transport.write(static_cast<uint64_t>(Register::kStatus), std::array<uint8_t, 4>{0x0f, 0, 0, 0});
  EXPECT_FALSE(device->active());
  EXPECT_NE(transport.status() & kStatusNeedsReset, 0u);
}

}  // namespace
}  // namespace vmm::virtio::mmio_test
