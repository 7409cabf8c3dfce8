// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio Status: the order of the initialization bits, feature
// negotiation at FEATURES_OK (no legacy drivers), activation at DRIVER_OK
// and reset by writing 0.
#include "mmio_test_support.hpp"

namespace vmm::virtio::mmio_test {
namespace {

using namespace mmio;

TEST_F(MmioTest, StatusBitsAreAddedInOrder) {
  write32(Register::kStatus, kStatusDriver);  // DRIVER before ACKNOWLEDGE
  EXPECT_EQ(transport.status(), 0u);
  add_status(kStatusAcknowledge);
  add_status(kStatusFeaturesOk);  // FEATURES_OK before DRIVER
  EXPECT_EQ(transport.status(), kStatusAcknowledge);
  add_status(kStatusDriver);
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver);
}

TEST_F(MmioTest, StatusWriteThatClearsABitIsIgnored) {
  add_status(kStatusAcknowledge);
  add_status(kStatusDriver);
  write32(Register::kStatus, kStatusDriver);
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver);
}

TEST_F(MmioTest, StatusWriteWithUnknownBitsIsIgnored) {
  write32(Register::kStatus, kStatusAcknowledge | 0x10);
  write32(Register::kStatus, kStatusAcknowledge | 0x100);
  EXPECT_EQ(transport.status(), 0u);
}

TEST_F(MmioTest, SeveralBitsInOneWriteAreAccepted) {
  write32(Register::kStatus, kStatusAcknowledge | kStatusDriver);
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver);
}

TEST_F(MmioTest, FailedMayBeSetAtAnyTime) {
  add_status(kStatusAcknowledge);
  add_status(kStatusFailed);
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusFailed);
}

TEST_F(MmioTest, FeaturesOkNeedsVersion1) {
  EXPECT_FALSE(negotiate(kFRingEventIdx));  // a legacy driver
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver);
  add_status(kStatusDriverOk);
  EXPECT_EQ(transport.status() & kStatusDriverOk, 0u);
  EXPECT_EQ(device->activations, 0);
}

TEST_F(MmioTest, FeaturesOkNeedsASubsetOfTheOfferedFeatures) {
  EXPECT_FALSE(negotiate(kFVersion1 | (uint64_t{1} << 7)));
  EXPECT_EQ(transport.status() & kStatusFeaturesOk, 0u);
}

TEST_F(MmioTest, FeaturesOkAcceptsTheOfferedFeatures) {
  EXPECT_TRUE(negotiate(kOfferedFeatures));
  EXPECT_EQ(transport.driver_features(), kOfferedFeatures);
}

TEST_F(MmioTest, RefusedFeaturesCanBeRenegotiatedWithoutReset) {
  ASSERT_FALSE(negotiate(kFeatureLow));
  write_driver_features(kFVersion1 | kFeatureLow);
  add_status(kStatusFeaturesOk);
  EXPECT_NE(transport.status() & kStatusFeaturesOk, 0u);
}

TEST_F(MmioTest, DriverFeaturesAreFrozenAtFeaturesOk) {
  ASSERT_TRUE(negotiate(kFVersion1));
  write_driver_features(kOfferedFeatures);
  EXPECT_EQ(transport.driver_features(), kFVersion1);
}

TEST_F(MmioTest, DriverOkNeedsFeaturesOkEvenInOneWrite) {
  write32(Register::kStatus, kStatusAcknowledge | kStatusDriver | kStatusDriverOk);
  EXPECT_EQ(transport.status(), 0u);
  write_driver_features(kFeatureLow);  // no VERSION_1: FEATURES_OK and DRIVER_OK both refused
  write32(Register::kStatus, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver);
  EXPECT_FALSE(device->active());
}

TEST_F(MmioTest, DriverOkActivatesWithTheNegotiatedFeatures) {
  ASSERT_TRUE(negotiate(kFVersion1 | kFRingEventIdx | kFeatureHigh));
  EXPECT_FALSE(device->active());
  add_status(kStatusDriverOk);
  EXPECT_TRUE(device->active());
  EXPECT_EQ(device->activations, 1);
  EXPECT_EQ(device->activated_features, kFVersion1 | kFRingEventIdx | kFeatureHigh);
  ASSERT_EQ(device->activated_queues.size(), 2u);
  EXPECT_FALSE(device->activated_queues[0].ready());
  EXPECT_TRUE(device->activated_queues[0].event_idx());
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk);
  EXPECT_EQ(interrupt.count, 0);
}

TEST_F(MmioTest, ActivationFailureSetsNeedsResetAndInterrupts) {
  device->refuse_activation = true;
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  EXPECT_FALSE(device->active());
  EXPECT_NE(transport.status() & kStatusNeedsReset, 0u);
  EXPECT_EQ(transport.interrupt_status(), kInterruptConfig);
  EXPECT_EQ(read32(Register::kConfigGeneration), 1u);
  EXPECT_EQ(interrupt.count, 1);
}

TEST_F(MmioTest, DriverWritingNeedsResetBackNeitherSetsNorClearsIt) {
  write32(Register::kStatus, kStatusAcknowledge | kStatusNeedsReset);
  EXPECT_EQ(transport.status(), kStatusAcknowledge);
  device->refuse_activation = true;
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  add_status(kStatusFailed);  // writes NEEDS_RESET back too
  EXPECT_EQ(transport.status(), kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk |
                                    kStatusNeedsReset | kStatusFailed);
}

TEST_F(MmioTest, ResetClearsEverythingButTheConfigGeneration) {
  ASSERT_TRUE(negotiate(kOfferedFeatures));
  write32(Register::kQueueSel, 1);
  write32(Register::kQueueNum, 4);
  add_status(kStatusDriverOk);
  ASSERT_TRUE(device->active());
  device->signal_config_change();
  ASSERT_EQ(read32(Register::kConfigGeneration), 1u);
  ASSERT_NE(transport.interrupt_status(), 0u);

  write32(Register::kStatus, 0);
  EXPECT_FALSE(device->active());
  EXPECT_EQ(device->resets, 1);
  EXPECT_EQ(transport.status(), 0u);
  EXPECT_EQ(transport.interrupt_status(), 0u);
  EXPECT_EQ(transport.driver_features(), 0u);
  EXPECT_EQ(read32(Register::kConfigGeneration), 1u);
  write32(Register::kQueueSel, 1);
  EXPECT_EQ(read32(Register::kQueueNumMax), 8u);
  write32(Register::kQueueReady, 1);  // the size is back to the maximum, so this works
  EXPECT_EQ(read32(Register::kQueueReady), 1u);
}

TEST_F(MmioTest, ResetAfterNeedsResetAllowsANewInitialization) {
  device->refuse_activation = true;
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  ASSERT_NE(transport.status() & kStatusNeedsReset, 0u);
  write32(Register::kStatus, 0);
  EXPECT_EQ(device->resets, 0);  // never activated: nothing to reset in the device
  device->refuse_activation = false;
  ASSERT_TRUE(negotiate());
  add_status(kStatusDriverOk);
  EXPECT_TRUE(device->active());
  EXPECT_EQ(transport.status() & kStatusNeedsReset, 0u);
}

TEST_F(MmioTest, DestroyingTheTransportResetsAnActiveDevice) {
  auto other = FakeDevice::create();
  {
    MmioTransport second(other, memory, interrupt);
    std::array<uint8_t, 4> bytes{kStatusAcknowledge | kStatusDriver, 0, 0, 0};
    second.write(static_cast<uint64_t>(Register::kStatus), bytes);
    second.write(static_cast<uint64_t>(Register::kDriverFeaturesSel), std::array<uint8_t, 4>{1, 0, 0, 0});
    second.write(static_cast<uint64_t>(Register::kDriverFeatures), std::array<uint8_t, 4>{1, 0, 0, 0});
    bytes[0] |= kStatusFeaturesOk | kStatusDriverOk;
    second.write(static_cast<uint64_t>(Register::kStatus), bytes);
    ASSERT_TRUE(other->active());
  }
  EXPECT_FALSE(other->active());
  EXPECT_EQ(other->resets, 1);
}

}  // namespace
}  // namespace vmm::virtio::mmio_test
