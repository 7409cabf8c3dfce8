// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Notification suppression for the split virtqueue: VIRTIO 1.2 §2.7.7
// (used buffers, device -> driver) and §2.7.10 (available buffers, driver ->
// device), with and without VIRTIO_F_EVENT_IDX.
#include <atomic>

#include <vmm/virtio/queue.hpp>

#include "ring.hpp"

namespace vmm::virtio {

// used_event trails the available ring: avail->ring[size] (§2.7.6).
GuestAddress Queue::used_event_addr() const {
  return avail_ring_.unchecked_add(kRingHeaderSize + 2ull * size_);
}
// avail_event trails the used ring: used->ring[size] (§2.7.8).
GuestAddress Queue::avail_event_addr() const {
  return used_ring_.unchecked_add(kRingHeaderSize + kUsedElemSize * size_);
}

Result<bool> Queue::needs_notification(const GuestMemory& memory) {
  VMM_TRY(check_live());
  // Our used.idx store must be ordered before the load of the driver's
  // suppression field, or both sides may decide not to notify (§2.7.7).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  uint16_t old_used = signalled_used_;
  uint16_t new_used = next_used_;
  if (!event_idx_) {
    VMM_TRY_ASSIGN(uint16_t flags, memory.read_obj<uint16_t>(avail_ring_));
    signalled_used_ = new_used;
    return (flags & kAvailFNoInterrupt) == 0;
  }
  // §2.7.7.2: notify when used.idx moves past used_event, i.e. when
  // used_event lies in [old_used, new_used). Modulo 2^16, that is
  // (new - event - 1) < (new - old); it holds across the 16-bit wrap.
  VMM_TRY_ASSIGN(uint16_t used_event, memory.read_obj<uint16_t>(used_event_addr()));
  signalled_used_ = new_used;
  return static_cast<uint16_t>(new_used - used_event - 1) < static_cast<uint16_t>(new_used - old_used);
}

Result<bool> Queue::enable_notification(GuestMemory& memory) {
  VMM_TRY(check_live());
  if (event_idx_) {
    // §2.7.10: the driver notifies once avail.idx passes avail_event.
    VMM_TRY(memory.write_obj<uint16_t>(avail_event_addr(), next_avail_));
  } else {
    VMM_TRY(memory.write_obj<uint16_t>(used_ring_, uint16_t{0}));
  }
  // The store above must be visible before we look at avail.idx again, or a
  // buffer published in between would wait for a notification that never comes.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  VMM_TRY_ASSIGN(uint16_t avail_idx, read_avail_idx(memory));
  return avail_idx != next_avail_;
}

Result<void> Queue::disable_notification(GuestMemory& memory) {
  VMM_TRY(check_live());
  if (event_idx_) return ok();
  return memory.write_obj<uint16_t>(used_ring_, kUsedFNoNotify);
}

}  // namespace vmm::virtio
