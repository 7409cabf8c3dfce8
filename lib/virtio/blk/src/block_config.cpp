// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Feature bits, configuration space and serial of the block device.
#include "block_config.hpp"

#include <algorithm>
#include <cstdio>

#include <vmm/base/bytes.hpp>
#include <vmm/virtio/block_error.hpp>

namespace vmm::virtio::blk {

uint64_t device_features(bool read_only) {
  uint64_t features = kFSegMax | kFBlkSize | kFFlush;
  // §5.2.5: a read-only device offers RO; discard and write-zeroes only make
  // sense on a writable one.
  return features | (read_only ? kFRo : kFDiscard | kFWriteZeroes);
}

std::array<uint8_t, kConfigSize> config_space(uint64_t capacity_sectors, bool read_only,
                                              uint32_t max_zeroing_sectors) {
  std::array<uint8_t, kConfigSize> config{};
  (void)store_le<uint64_t>(config, kConfigCapacity, capacity_sectors);
  (void)store_le<uint32_t>(config, kConfigSegMax, kSegMax);
  (void)store_le<uint32_t>(config, kConfigBlkSize, static_cast<uint32_t>(kSectorSize));
  // Only meaningful with VIRTIO_BLK_F_CONFIG_WCE, which we do not offer;
  // the cache is write-back (the host page cache) and FLUSH is offered.
  config[kConfigWriteback] = 1;
  (void)store_le<uint16_t>(config, kConfigNumQueues, 1);
  if (!read_only) {
    (void)store_le<uint32_t>(config, kConfigMaxDiscardSectors, max_zeroing_sectors);
    (void)store_le<uint32_t>(config, kConfigMaxDiscardSeg, 1);
    (void)store_le<uint32_t>(config, kConfigDiscardSectorAlignment, kDiscardAlignmentSectors);
    (void)store_le<uint32_t>(config, kConfigMaxWriteZeroesSectors, max_zeroing_sectors);
    (void)store_le<uint32_t>(config, kConfigMaxWriteZeroesSeg, 1);
    config[kConfigWriteZeroesMayUnmap] = 1;
  }
  return config;
}

Result<std::array<uint8_t, kIdBytes>> device_id(const std::string& id, const BlockImage& image) {
  std::array<uint8_t, kIdBytes> bytes{};
  if (id.empty()) {
    // 8 hex digits of the device number and 12 of the inode: stable for a
    // file, different for two files on one host.
    char derived[kIdBytes + 1];
    std::snprintf(derived, sizeof derived, "%08llx%012llx",
                  static_cast<unsigned long long>(image.device()) & 0xffff'ffffULL,
                  static_cast<unsigned long long>(image.inode()) & 0xffff'ffff'ffffULL);
    std::copy_n(derived, kIdBytes, bytes.begin());
    return bytes;
  }
  if (id.size() > kIdBytes)
    return Error(BlockErrc::kInvalidId, "\"" + id + "\" has " + std::to_string(id.size()) + " bytes");
  for (char c : id) {
    if (c < 0x20 || c > 0x7e) return Error(BlockErrc::kInvalidId, "id contains a non-printable byte");
  }
  std::copy(id.begin(), id.end(), bytes.begin());
  return bytes;
}

}  // namespace vmm::virtio::blk
