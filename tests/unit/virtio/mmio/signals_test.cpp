// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio DeviceSignals: InterruptStatus bits, interrupt edges,
// ConfigGeneration, DEVICE_NEEDS_RESET, and InterruptACK racing the device.
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

// The device thread sets bits while a vCPU acknowledges others: an ACK of
// VRING must never lose a CONFIG bit set at the same time (atomic RMW).
TEST_F(MmioTest, AckDoesNotLoseBitsSetConcurrently) {
  constexpr int kRounds = 20000;
  std::thread device_thread([this] {
    for (int i = 0; i < kRounds; ++i) {
      transport.used_buffers();
      if (i % 2 == 0) transport.config_changed();
    }
  });
  for (int i = 0; i < kRounds; ++i) write32(Register::kInterruptAck, kInterruptVring);
  device_thread.join();
  EXPECT_NE(read32(Register::kInterruptStatus) & kInterruptConfig, 0u);
  EXPECT_EQ(read32(Register::kConfigGeneration), static_cast<uint32_t>(kRounds / 2));
  EXPECT_EQ(interrupt.count, kRounds + kRounds / 2);
}

}  // namespace
}  // namespace vmm::virtio::mmio_test
