// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Creating a BlockDevice: image checks, features and configuration space
// (VIRTIO 1.2 §5.2.3, §5.2.4), the GET_ID serial.
#include <cctype>

#include "block_test_support.hpp"

namespace vmm::virtio::blk {
namespace {

Error create_error(const BlockOptions& options) {
  auto created = BlockDevice::create(options);
  EXPECT_FALSE(created.ok());
  return created.ok() ? Error({}, "unexpected success") : std::move(created).error();
}

TEST(BlockCreate, RefusesEmptyUnalignedAndMissingImages) {
  TempImage empty(0);
  EXPECT_EQ(create_error({.path = empty.path()}).code(), BlockErrc::kEmptyImage);
  TempImage odd(1000);
  Error unaligned = create_error({.path = odd.path()});
  EXPECT_EQ(unaligned.code(), BlockErrc::kUnalignedImageSize);
  EXPECT_NE(unaligned.message().find("1000 bytes"), std::string::npos) << unaligned.message();
  Error missing = create_error({.path = "/nonexistent/disk.img"});
  EXPECT_EQ(missing.code(), std::errc::no_such_file_or_directory);
  EXPECT_NE(missing.message().find("/nonexistent/disk.img"), std::string::npos) << missing.message();
}

TEST(BlockCreate, RefusesBadIds) {
  TempImage disk(4096);
  EXPECT_EQ(create_error({.path = disk.path(), .id = std::string(21, 'a')}).code(), BlockErrc::kInvalidId);
  EXPECT_EQ(create_error({.path = disk.path(), .id = "bad\nid"}).code(), BlockErrc::kInvalidId);
  EXPECT_TRUE(BlockDevice::create({.path = disk.path(), .id = std::string(20, 'a')}).ok());
}

TEST(BlockCreate, RefusesBadRateLimits) {
  TempImage disk(4096);
  ratelimit::RateLimitConfig limits{.bandwidth = ratelimit::TokenBucketConfig{1, 0, ~uint64_t{0}}};
  EXPECT_EQ(create_error({.path = disk.path(), .rate_limit = limits}).code(), std::errc::invalid_argument);
}

uint32_t config32(BlockDevice& device, uint32_t offset) {
  std::array<uint8_t, 4> bytes{};
  device.read_config(offset, bytes);
  return *load_le<uint32_t>(bytes, 0);
}

TEST(BlockCreate, WritableDeviceFeaturesAndConfig) {
  TempImage disk(kSectors * 512);
  auto device = BlockDevice::create({.path = disk.path()}).value();
  EXPECT_EQ(device->type(), DeviceType::kBlock);
  EXPECT_EQ(device->num_queues(), 1u);
  EXPECT_EQ(device->queue_max_size(0), 256);
  EXPECT_EQ(device->capacity_sectors(), kSectors);
  EXPECT_FALSE(device->read_only());
  uint64_t want = kCommonFeatures | kFSegMax | kFBlkSize | kFFlush | kFDiscard | kFWriteZeroes;
  EXPECT_EQ(device->features(), want);
  ASSERT_EQ(device->config_size(), 60u);
  std::array<uint8_t, 60> config{};
  device->read_config(0, config);
  EXPECT_EQ(*load_le<uint64_t>(config, kConfigCapacity), kSectors);
  EXPECT_EQ(*load_le<uint32_t>(config, kConfigSegMax), 254u);
  EXPECT_EQ(*load_le<uint32_t>(config, kConfigBlkSize), 512u);
  EXPECT_EQ(*load_le<uint32_t>(config, kConfigMaxDiscardSectors), BlockDevice::kMaxZeroingSectors);
  EXPECT_EQ(*load_le<uint32_t>(config, kConfigMaxDiscardSeg), 1u);
  EXPECT_EQ(*load_le<uint32_t>(config, kConfigMaxWriteZeroesSectors), BlockDevice::kMaxZeroingSectors);
  EXPECT_EQ(*load_le<uint32_t>(config, kConfigMaxWriteZeroesSeg), 1u);
  EXPECT_EQ(config[kConfigWriteZeroesMayUnmap], 1);
  // Partial reads at any offset agree with the whole.
  EXPECT_EQ(config32(*device, kConfigCapacity + 1), kSectors >> 8);
}

TEST(BlockCreate, ReadOnlyDeviceOffersRoAndNoDiscard) {
  TempImage disk(kSectors * 512);
  auto device = BlockDevice::create({.path = disk.path(), .read_only = true}).value();
  EXPECT_TRUE(device->read_only());
  EXPECT_NE(device->features() & kFRo, 0u);
  EXPECT_EQ(device->features() & (kFDiscard | kFWriteZeroes), 0u);
  EXPECT_EQ(config32(*device, kConfigMaxDiscardSeg), 0u);
}

TEST(BlockCreate, DefaultIdComesFromDeviceAndInode) {
  TempImage a(4096), b(4096);
  auto first = BlockDevice::create({.path = a.path()}).value();
  auto again = BlockDevice::create({.path = a.path()}).value();
  auto other = BlockDevice::create({.path = b.path()}).value();
  EXPECT_EQ(first->id(), again->id());
  EXPECT_NE(first->id(), other->id());
  for (uint8_t c : first->id()) EXPECT_TRUE(std::isxdigit(c)) << int{c};
  auto named = BlockDevice::create({.path = a.path(), .id = "disk0"}).value();
  EXPECT_EQ(std::string(named->id().begin(), named->id().begin() + 6), std::string("disk0\0", 6));
}

}  // namespace
}  // namespace vmm::virtio::blk
