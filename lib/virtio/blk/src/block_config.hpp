// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <string>

#include <vmm/base/result.hpp>
#include <vmm/virtio/block_spec.hpp>

#include "block_image.hpp"

namespace vmm::virtio::blk {

// The largest number of data buffers per request we advertise (seg_max):
// the queue size minus the header and status buffers.
inline constexpr uint32_t kSegMax = 254;
// discard_sector_alignment: 4 KiB, the usual file-system block.
inline constexpr uint32_t kDiscardAlignmentSectors = 8;

// Offered device feature bits (§5.2.3), without kCommonFeatures.
[[nodiscard]] uint64_t device_features(bool read_only);
// struct virtio_blk_config (§5.2.4), little endian.
[[nodiscard]] std::array<uint8_t, kConfigSize> config_space(uint64_t capacity_sectors, bool read_only,
                                                            uint32_t max_zeroing_sectors);
// The GET_ID serial: `id` checked (at most 20 printable ASCII bytes), or one
// derived from the image's device and inode numbers when `id` is empty.
[[nodiscard]] Result<std::array<uint8_t, kIdBytes>> device_id(const std::string& id, const BlockImage& image);

}  // namespace vmm::virtio::blk
