// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio DeviceSignals: InterruptStatus bits, interrupt edges,
// ConfigGeneration, DEVICE_NEEDS_RESET, and InterruptACK racing the device.
#include <atomic>
#include <thread>

#include "mmio_test_support.hpp"

namespace vmm::virtio::mmio_test {
namespace {

using namespace mmio;

TEST_F(MmioTest, UsedBuffersRaisesTheVringBit) {
  transport.used_buffers();
  EXPECT_EQ(read32(Register::kInterruptStatus), kInterruptVring);
  EXPECT_EQ(interrupt.count, 1);
  transport.used_buffers();  // every notification is an edge, even with the bit still set
  EXPECT_EQ(interrupt.count, 2);
  EXPECT_EQ(read32(Register::kConfigGeneration), 0u);
}

TEST_F(MmioTest, ConfigChangedRaisesTheConfigBitAndBumpsTheGeneration) {
  transport.config_changed();
  EXPECT_EQ(read32(Register::kInterruptStatus), kInterruptConfig);
  EXPECT_EQ(read32(Register::kConfigGeneration), 1u);
  EXPECT_EQ(interrupt.count, 1);
  transport.config_changed();
  EXPECT_EQ(read32(Register::kConfigGeneration), 2u);
}

TEST_F(MmioTest, NeedsResetSetsTheStatusBitAndNotifiesAConfigChange) {
  add_status(kStatusAcknowledge);
  transport.needs_reset();
  EXPECT_EQ(read32(Register::kStatus), kStatusAcknowledge | kStatusNeedsReset);
  EXPECT_EQ(read32(Register::kInterruptStatus), kInterruptConfig);
  EXPECT_EQ(read32(Register::kConfigGeneration), 1u);
  EXPECT_EQ(interrupt.count, 1);
}

TEST_F(MmioTest, InterruptAckClearsOnlyTheWrittenBits) {
  transport.used_buffers();
  transport.config_changed();
  write32(Register::kInterruptAck, kInterruptVring);
  EXPECT_EQ(read32(Register::kInterruptStatus), kInterruptConfig);
  write32(Register::kInterruptAck, 0xfffffffc);  // no such bits
  EXPECT_EQ(read32(Register::kInterruptStatus), kInterruptConfig);
  write32(Register::kInterruptAck, 0xffffffff);
  EXPECT_EQ(read32(Register::kInterruptStatus), 0u);
}

TEST_F(MmioTest, DeviceSignalsReachTheDriverAfterActivation) {
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  device->signal_config_change();
  EXPECT_EQ(read32(Register::kInterruptStatus), kInterruptConfig);
  device->break_device("test");
  EXPECT_NE(read32(Register::kStatus) & kStatusNeedsReset, 0u);
  EXPECT_EQ(read32(Register::kConfigGeneration), 2u);
  EXPECT_EQ(interrupt.count, 2);
}

// The device thread sets CONFIG while a vCPU acknowledges VRING: the ACK
// must never clear a bit set between its load and its store (it has to be
// one atomic read-modify-write). Only the device thread clears CONFIG here,
// so it must find it set after every config_changed(). A stress test: a
// split load/store ACK fails it only when the threads happen to interleave
// inside that window, which a loaded machine may never do.
TEST_F(MmioTest, AckDoesNotLoseBitsSetConcurrently) {
  constexpr int kRounds = 100000;
  std::atomic<bool> done{false};
  std::thread vcpu([this, &done] {
    while (!done.load()) write32(Register::kInterruptAck, kInterruptVring);
  });
  int lost = 0;
  for (int i = 0; i < kRounds; ++i) {
    transport.config_changed();
    if ((transport.interrupt_status() & kInterruptConfig) == 0) ++lost;
    write32(Register::kInterruptAck, kInterruptConfig);
  }
  done.store(true);
  vcpu.join();
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(read32(Register::kConfigGeneration), static_cast<uint32_t>(kRounds));
  EXPECT_EQ(interrupt.count, kRounds);
}

}  // namespace
}  // namespace vmm::virtio::mmio_test
