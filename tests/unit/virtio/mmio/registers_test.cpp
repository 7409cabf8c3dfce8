// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio identification registers, feature pages, access widths, the
// configuration space window and the registers of absent features.
#include "mmio_test_support.hpp"

namespace vmm::virtio::mmio_test {
namespace {

TEST_F(MmioTest, IdentifiesAsVersion2DeviceOfTheDevicesType) {
  EXPECT_EQ(read32(Register::kMagicValue), 0x74726976u);
  EXPECT_EQ(read32(Register::kVersion), 2u);
  EXPECT_EQ(read32(Register::kDeviceId), 2u);  // block
  EXPECT_EQ(read32(Register::kVendorId), 0x4b4d4d56u);
  std::array<uint8_t, 4> vendor{};
  transport.read(static_cast<uint64_t>(Register::kVendorId), vendor);
  EXPECT_EQ(std::string(vendor.begin(), vendor.end()), "VMMK");
}

TEST_F(MmioTest, IdentificationRegistersIgnoreWrites) {
  write32(Register::kMagicValue, 0);
  write32(Register::kVersion, 1);
  write32(Register::kDeviceId, 7);
  EXPECT_EQ(read32(Register::kMagicValue), 0x74726976u);
  EXPECT_EQ(read32(Register::kVersion), 2u);
  EXPECT_EQ(read32(Register::kDeviceId), 2u);
}

TEST_F(MmioTest, DeviceFeaturesHasTwoPages) {
  EXPECT_EQ(read32(Register::kDeviceFeatures), static_cast<uint32_t>(kOfferedFeatures));
  write32(Register::kDeviceFeaturesSel, 1);
  EXPECT_EQ(read32(Register::kDeviceFeatures), static_cast<uint32_t>(kOfferedFeatures >> 32));
  for (uint32_t page : {2u, 3u, 0xffffffffu}) {
    write32(Register::kDeviceFeaturesSel, page);
    EXPECT_EQ(read32(Register::kDeviceFeatures), 0u) << "page " << page;
  }
}

TEST_F(MmioTest, DriverFeaturesPagesAboveOneAreIgnored) {
  write_driver_features(kFVersion1 | kFeatureLow);
  write32(Register::kDriverFeaturesSel, 2);
  write32(Register::kDriverFeatures, 0xffffffff);
  EXPECT_EQ(transport.driver_features(), kFVersion1 | kFeatureLow);
}

TEST_F(MmioTest, WriteOnlyRegistersReadZero) {
  write_driver_features(kFVersion1);
  write32(Register::kQueueDescLow, 0x1000);
  for (auto reg : {Register::kDeviceFeaturesSel, Register::kDriverFeatures, Register::kDriverFeaturesSel,
                   Register::kQueueSel, Register::kQueueNum, Register::kQueueNotify, Register::kInterruptAck,
                   Register::kQueueDescLow, Register::kQueueDescHigh, Register::kQueueDriverLow,
                   Register::kQueueDeviceLow, Register::kShmSel, Register::kQueueReset}) {
    EXPECT_EQ(read32(reg), 0u) << "offset " << static_cast<uint32_t>(reg);
  }
  EXPECT_EQ(read32(0x018), 0u);  // reserved
  EXPECT_EQ(read32(0x0f8), 0u);
}

TEST_F(MmioTest, NoSharedMemoryRegions) {
  for (uint32_t id : {0u, 1u, 255u}) {
    write32(Register::kShmSel, id);
    EXPECT_EQ(read32(Register::kShmLenLow), 0xffffffffu);
    EXPECT_EQ(read32(Register::kShmLenHigh), 0xffffffffu);
  }
}

TEST_F(MmioTest, RegistersNeedAligned32BitAccesses) {
  std::array<uint8_t, 2> two{0xee, 0xee};
  transport.read(static_cast<uint64_t>(Register::kMagicValue), two);
  EXPECT_EQ(two, (std::array<uint8_t, 2>{0, 0}));
  std::array<uint8_t, 8> eight{};
  eight.fill(0xee);
  transport.read(static_cast<uint64_t>(Register::kMagicValue), eight);
  EXPECT_EQ(eight, (std::array<uint8_t, 8>{}));
  EXPECT_EQ(read32(0x001), 0u);  // misaligned
  EXPECT_EQ(read32(0x0fe), 0u);

  std::array<uint8_t, 1> one{mmio::kStatusAcknowledge};
  transport.write(static_cast<uint64_t>(Register::kStatus), one);
  EXPECT_EQ(transport.status(), 0u);
  write32(static_cast<uint64_t>(Register::kStatus) + 1, mmio::kStatusAcknowledge);
  EXPECT_EQ(transport.status(), 0u);
  add_status(mmio::kStatusAcknowledge);
  EXPECT_EQ(transport.status(), mmio::kStatusAcknowledge);
}

TEST_F(MmioTest, ConfigSpaceAccessesOfEachWidthReachTheDevice) {
  std::array<uint8_t, 1> one{};
  transport.read(0x100 + 3, one);
  EXPECT_EQ(one[0], 3);
  std::array<uint8_t, 2> two{};
  transport.read(0x100 + 5, two);  // unaligned but inside
  EXPECT_EQ(two, (std::array<uint8_t, 2>{5, 6}));
  std::array<uint8_t, 8> eight{};
  transport.read(0x100 + 4, eight);
  EXPECT_EQ(eight, (std::array<uint8_t, 8>{4, 5, 6, 7, 8, 9, 10, 11}));
  EXPECT_EQ(read32(0x100 + 8), 0x0b0a0908u);

  write32(0x100, 0xddccbbaa);
  EXPECT_EQ(device->config[0], 0xaa);
  EXPECT_EQ(device->config[3], 0xdd);
  std::array<uint8_t, 8> pattern{1, 1, 1, 1, 1, 1, 1, 1};
  transport.write(0x100 + 4, pattern);
  EXPECT_EQ(device->config[11], 1);
}

TEST_F(MmioTest, ConfigAccessesOutsideTheSpaceAreDropped) {
  std::array<uint8_t, 4> four{0xee, 0xee, 0xee, 0xee};
  transport.read(0x100 + kConfigSize - 2, four);  // straddles the end
  EXPECT_EQ(four, (std::array<uint8_t, 4>{}));
  EXPECT_EQ(read32(0x100 + kConfigSize), 0u);
  EXPECT_EQ(read32(0xffc), 0u);
  std::array<uint8_t, 3> three{0xee, 0xee, 0xee};
  transport.read(0x100, three);  // not a 1/2/4/8-byte access
  EXPECT_EQ(three, (std::array<uint8_t, 3>{}));
  std::array<uint8_t, 16> sixteen{};
  transport.read(0x100, sixteen);
  EXPECT_EQ(sixteen, (std::array<uint8_t, 16>{}));

  auto before = device->config;
  write32(0x100 + kConfigSize - 2, 0xffffffff);
  transport.write(0x100, std::array<uint8_t, 3>{9, 9, 9});
  write32(0x1000, 0xffffffff);          // past the window
  write32(UINT64_MAX - 3, 0xffffffff);  // offset arithmetic must not wrap
  EXPECT_EQ(device->config, before);
  EXPECT_EQ(read32(UINT64_MAX - 3), 0u);
}

TEST_F(MmioTest, ConfigGenerationStartsAtZero) { EXPECT_EQ(read32(Register::kConfigGeneration), 0u); }

}  // namespace
}  // namespace vmm::virtio::mmio_test
