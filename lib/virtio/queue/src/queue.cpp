// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Split virtqueue, device side: configuration checks, pop and add_used
// (VIRTIO 1.2 §2.7, §2.7.6, §2.7.8, §2.7.13).
#include <atomic>
#include <bit>
#include <string>

#include <vmm/base/bytes.hpp>
#include <vmm/base/hex.hpp>
#include <vmm/virtio/queue.hpp>

#include "ring.hpp"

namespace vmm::virtio {
namespace {

Result<void> check_ring(const GuestMemory& memory, const char* name, GuestAddress addr, uint64_t align,
                        uint64_t len) {
  if (addr.value() % align != 0) {
    return queue_error(QueueErrc::kMisalignedRing, std::string(name) + " at " + hex(addr.value()) +
                                                       " is not " + std::to_string(align) + "-byte aligned");
  }
  if (!addr.checked_add(len) || !memory.contains_range(addr, len)) {
    return queue_error(QueueErrc::kRingOutOfBounds, std::string(name) + " at " + hex(addr.value()) + " of " +
                                                        hex(len) + " bytes is not in guest RAM");
  }
  return ok();
}

}  // namespace

Result<Queue> Queue::create(uint16_t max_size) {
  if (max_size == 0 || !std::has_single_bit(max_size) || max_size > kMaxQueueSize) {
    return queue_error(QueueErrc::kInvalidMaxSize, "maximum size " + std::to_string(max_size));
  }
  return Queue(max_size);
}

void Queue::set_size(uint16_t size) {
  if (!ready_) size_ = size;
}
void Queue::set_desc_table(GuestAddress addr) {
  if (!ready_) desc_table_ = addr;
}
void Queue::set_avail_ring(GuestAddress addr) {
  if (!ready_) avail_ring_ = addr;
}
void Queue::set_used_ring(GuestAddress addr) {
  if (!ready_) used_ring_ = addr;
}

bool Queue::size_valid() const { return size_ != 0 && std::has_single_bit(size_) && size_ <= max_size_; }

Result<void> Queue::validate(const GuestMemory& memory) const {
  if (!size_valid()) {
    return queue_error(QueueErrc::kInvalidSize, "queue size " + std::to_string(size_) +
                                                    " is not a power of two in [1, " +
                                                    std::to_string(max_size_) + "]");
  }
  VMM_TRY(check_ring(memory, "descriptor table", desc_table_, kDescTableAlign, desc_table_size(size_)));
  VMM_TRY(check_ring(memory, "available ring", avail_ring_, kAvailRingAlign, avail_ring_size(size_)));
  VMM_TRY(check_ring(memory, "used ring", used_ring_, kUsedRingAlign, used_ring_size(size_)));
  return ok();
}

// The ring accesses below are checked by GuestMemory; this guards only what
// arithmetic depends on (a non-zero power-of-two size) and the lifecycle.
Result<void> Queue::check_live() const {
  if (!ready_) return queue_error(QueueErrc::kNotReady, "queue used before the driver made it ready");
  if (!size_valid()) return queue_error(QueueErrc::kInvalidSize, "queue size " + std::to_string(size_));
  return ok();
}

Result<uint16_t> Queue::read_avail_idx(const GuestMemory& memory) const {
  // avail.idx is the second le16 of the available ring (§2.7.6). The ring's
  // address was validated, so + 2 cannot wrap; the read is checked anyway.
  VMM_TRY_ASSIGN(uint16_t idx, memory.read_obj<uint16_t>(avail_ring_.unchecked_add(2)));
  // Reads of the ring entries and descriptors must not be satisfied before
  // this read (§2.7.13: the driver publishes idx after the entries).
  std::atomic_thread_fence(std::memory_order_acquire);
  return idx;
}

Result<std::optional<DescriptorChain>> Queue::pop(const GuestMemory& memory) {
  VMM_TRY(check_live());
  VMM_TRY_ASSIGN(uint16_t avail_idx, read_avail_idx(memory));
  // Free-running 16-bit indices (§2.7.6): the difference is the number of new entries.
  auto pending = static_cast<uint16_t>(avail_idx - next_avail_);
  if (pending == 0) return std::optional<DescriptorChain>();
  if (pending > size_) {
    return queue_error(QueueErrc::kAvailIndexTooFar, "avail.idx " + std::to_string(avail_idx) + " is " +
                                                         std::to_string(pending) + " entries ahead of " +
                                                         std::to_string(next_avail_) + ", queue size " +
                                                         std::to_string(size_));
  }
  // ring[next_avail % size]: size is a power of two, so this agrees across the 2^16 wrap.
  GuestAddress slot = avail_ring_.unchecked_add(kRingHeaderSize + 2ull * (next_avail_ % size_));
  VMM_TRY_ASSIGN(uint16_t head, memory.read_obj<uint16_t>(slot));
  ++next_avail_;
  if (head >= size_) {
    return queue_error(QueueErrc::kInvalidDescriptorIndex,
                       "available ring entry " + std::to_string(static_cast<uint16_t>(next_avail_ - 1)) +
                           " names descriptor " + std::to_string(head) + ", queue size " +
                           std::to_string(size_));
  }
  return std::optional(DescriptorChain(desc_table_, size_, head));
}

Result<void> Queue::add_used(GuestMemory& memory, uint16_t head, uint32_t len) {
  VMM_TRY(check_live());
  if (head >= size_) {
    return queue_error(QueueErrc::kInvalidDescriptorIndex,
                       "used head " + std::to_string(head) + " outside queue size " + std::to_string(size_));
  }
  // struct virtq_used_elem { le32 id; le32 len; } at ring[next_used % size] (§2.7.8).
  GuestAddress elem = used_ring_.unchecked_add(kRingHeaderSize + kUsedElemSize * (next_used_ % size_));
  VMM_TRY(memory.write_obj<uint32_t>(elem, head));
  VMM_TRY(memory.write_obj<uint32_t>(elem.unchecked_add(4), len));
  // The element must be visible before the index that publishes it (§2.7.8).
  std::atomic_thread_fence(std::memory_order_release);
  auto new_used = static_cast<uint16_t>(next_used_ + 1);
  VMM_TRY(memory.write_obj<uint16_t>(used_ring_.unchecked_add(2), new_used));
  next_used_ = new_used;
  return ok();
}

void Queue::reset() { *this = Queue(max_size_); }

}  // namespace vmm::virtio
