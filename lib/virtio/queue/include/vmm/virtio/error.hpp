// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm::virtio {

// Errors of the split virtqueue. All of them come from what the driver (the
// guest) wrote; a device answers a chain error with an error status for that
// request, and a ring error (kAvailIndexTooFar) by entering DEVICE_NEEDS_RESET
// (VIRTIO 1.2 §2.1.2). Buffers outside guest RAM are reported by GuestMemory
// (MemoryErrc::kOutOfBounds) when the device touches them.
enum class QueueErrc {
  kInvalidMaxSize = 1,      // device bug: max size not a power of two in [1, 32768]
  kInvalidSize,             // driver-set size zero, not a power of two, or above the maximum
  kMisalignedRing,          // ring address not aligned as §2.7 requires
  kRingOutOfBounds,         // a ring does not fit in guest RAM
  kNotReady,                // queue used before it was made ready with a valid size
  kAvailIndexTooFar,        // avail.idx more than queue size ahead of next_avail
  kInvalidDescriptorIndex,  // head or next index outside the (indirect) table
  kChainTooLong,            // more hops than the table has entries: a loop
  kChainTooLarge,           // total buffer length above 4 GiB - 1 (used.len is 32 bits)
  kDescriptorWraps,         // addr + len wraps past 2^64
  kNestedIndirect,          // an indirect table refers to another indirect table
  kIndirectWithNext,        // VIRTQ_DESC_F_INDIRECT together with VIRTQ_DESC_F_NEXT
  kInvalidIndirectTable,    // indirect length zero, not a multiple of 16, too large or outside RAM
  kReadableAfterWritable,   // a device-readable descriptor after a device-writable one
  kShortBuffer,             // the chain's buffers are smaller than the data to move
};

VMM_API const std::error_category& queue_category() noexcept;
inline std::error_code make_error_code(QueueErrc e) { return {static_cast<int>(e), queue_category()}; }

}  // namespace vmm::virtio

template <>
struct std::is_error_code_enum<vmm::virtio::QueueErrc> : std::true_type {};
