// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

#include <vmm/memory/guest_address.hpp>

// Split virtqueue layout, VIRTIO 1.2 §2.7. All fields are little endian; the
// library runs on little-endian hosts only (x86-64), see src/ring.hpp.
namespace vmm::virtio {

// Descriptor flags (§2.7.5).
inline constexpr uint16_t kDescFNext = 1;      // VIRTQ_DESC_F_NEXT: `next` is valid
inline constexpr uint16_t kDescFWrite = 2;     // VIRTQ_DESC_F_WRITE: device-writable buffer
inline constexpr uint16_t kDescFIndirect = 4;  // VIRTQ_DESC_F_INDIRECT: buffer is a descriptor table

// Notification suppression flags (§2.7.7, §2.7.10).
inline constexpr uint16_t kAvailFNoInterrupt = 1;  // VIRTQ_AVAIL_F_NO_INTERRUPT
inline constexpr uint16_t kUsedFNoNotify = 1;      // VIRTQ_USED_F_NO_NOTIFY

// The largest queue size a split virtqueue can have (§2.7: "Queue Size ... maximum 32768").
inline constexpr uint16_t kMaxQueueSize = 32768;

// Sizes and alignments of the three parts (§2.7, table "Virtqueue Part Alignment Size").
inline constexpr uint64_t kDescriptorSize = 16;  // struct virtq_desc
inline constexpr uint64_t kDescTableAlign = 16;
inline constexpr uint64_t kAvailRingAlign = 2;
inline constexpr uint64_t kUsedRingAlign = 4;
inline constexpr uint64_t kUsedElemSize = 8;  // struct virtq_used_elem { le32 id; le32 len; }
// Ring header: le16 flags; le16 idx; then ring[size]; then le16 used_event / avail_event.
inline constexpr uint64_t kRingHeaderSize = 4;
[[nodiscard]] constexpr uint64_t desc_table_size(uint16_t size) { return kDescriptorSize * size; }
[[nodiscard]] constexpr uint64_t avail_ring_size(uint16_t size) { return kRingHeaderSize + 2ull * size + 2; }
[[nodiscard]] constexpr uint64_t used_ring_size(uint16_t size) {
  return kRingHeaderSize + kUsedElemSize * size + 2;
}

// One buffer of a descriptor chain, as the device sees it. addr + len is known
// not to wrap; whether the buffer is guest RAM is checked when it is accessed.
struct Descriptor {
  GuestAddress addr;
  uint32_t len = 0;
  bool writable = false;  // device-writable (VIRTQ_DESC_F_WRITE)

  bool operator==(const Descriptor&) const = default;
};

// struct virtq_desc as the driver writes it (§2.7.5); used by the mock driver.
struct RawDescriptor {
  uint64_t addr = 0;
  uint32_t len = 0;
  uint16_t flags = 0;
  uint16_t next = 0;
};
static_assert(sizeof(RawDescriptor) == kDescriptorSize);

}  // namespace vmm::virtio
