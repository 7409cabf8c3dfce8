// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <optional>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_address.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/descriptor_chain.hpp>
#include <vmm/virtio/error.hpp>

namespace vmm::virtio {

// The device side of one split virtqueue (VIRTIO 1.2 §2.7). The transport
// forwards the driver's configuration (size, ring addresses, ready); the
// device checks it with validate() when the driver makes the queue live, then
// pops chains and returns them through add_used(). The Queue holds no
// pointer into guest memory: every call takes the GuestMemory it works on.
class VMM_API Queue {
 public:
  // max_size: the largest size the device offers (QueueNumMax), a power of two in [1, 32768].
  static Result<Queue> create(uint16_t max_size);

  // --- configuration written by the driver through the transport. Ignored
  // while the queue is ready: the rings must not move under the device.
  void set_size(uint16_t size);
  void set_desc_table(GuestAddress addr);
  void set_avail_ring(GuestAddress addr);
  void set_used_ring(GuestAddress addr);
  void set_ready(bool ready) { ready_ = ready; }
  // VIRTIO_F_EVENT_IDX negotiated (§2.7.7, §2.7.10).
  void set_event_idx(bool enabled) { event_idx_ = enabled; }

  [[nodiscard]] uint16_t max_size() const { return max_size_; }
  [[nodiscard]] uint16_t size() const { return size_; }
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] bool event_idx() const { return event_idx_; }
  [[nodiscard]] GuestAddress desc_table() const { return desc_table_; }
  [[nodiscard]] GuestAddress avail_ring() const { return avail_ring_; }
  [[nodiscard]] GuestAddress used_ring() const { return used_ring_; }

  // Checks the configuration before use: size a non-zero power of two not
  // above max_size (§2.7: "Queue Size value is always a power of 2"), rings
  // aligned (§2.7: descriptor table 16, available ring 2, used ring 4) and
  // entirely in guest RAM. The transport calls it when the driver sets
  // QueueReady / DRIVER_OK and fails the device (NEEDS_RESET) on error.
  Result<void> validate(const GuestMemory& memory) const;

  // The next available chain (§2.7.13 from the device's side), nullopt if the
  // driver published none. Errors: kNotReady; kAvailIndexTooFar (the driver
  // claims more than `size` new entries: the device must enter NEEDS_RESET);
  // kInvalidDescriptorIndex for a head outside the table (the entry is
  // consumed). The chain's own checks happen as it is walked.
  Result<std::optional<DescriptorChain>> pop(const GuestMemory& memory);
  // Puts back the chain the last pop() returned, so the next pop() returns
  // its head again: for a device that cannot serve it yet (rate limited).
  // Only right after a pop() that returned a chain, before add_used().
  void undo_pop() { --next_avail_; }

  // Returns chain `head` to the driver with `len` bytes written (§2.7.8),
  // publishing the new used.idx after the element (release ordering).
  Result<void> add_used(GuestMemory& memory, uint16_t head, uint32_t len);

  // Whether the driver wants a used-buffer notification for what add_used
  // published since the last call that answered (§2.7.7; with EVENT_IDX the
  // used_event rule of §2.7.7.2, computed modulo 2^16).
  Result<bool> needs_notification(const GuestMemory& memory);
  // Asks the driver to notify us of new buffers (§2.7.10): clears
  // VIRTQ_USED_F_NO_NOTIFY, or with EVENT_IDX sets avail_event = next_avail.
  // Returns true if buffers arrived meanwhile (pop again before sleeping).
  Result<bool> enable_notification(GuestMemory& memory);
  // Asks the driver not to notify (VIRTQ_USED_F_NO_NOTIFY; nothing with EVENT_IDX,
  // where avail_event left behind next_avail already suppresses notifications).
  Result<void> disable_notification(GuestMemory& memory);

  [[nodiscard]] uint16_t next_avail() const { return next_avail_; }
  [[nodiscard]] uint16_t next_used() const { return next_used_; }
  // For restoring a saved queue (snapshot/migration).
  void set_next_avail(uint16_t index) { next_avail_ = index; }
  void set_next_used(uint16_t index) { next_used_ = signalled_used_ = index; }

  // Back to the state after create() (device reset, §2.4).
  void reset();

 private:
  explicit Queue(uint16_t max_size) : max_size_(max_size), size_(max_size) {}
  [[nodiscard]] bool size_valid() const;
  Result<void> check_live() const;
  Result<uint16_t> read_avail_idx(const GuestMemory& memory) const;
  [[nodiscard]] GuestAddress used_event_addr() const;
  [[nodiscard]] GuestAddress avail_event_addr() const;

  uint16_t max_size_;
  uint16_t size_;
  bool ready_ = false;
  bool event_idx_ = false;
  GuestAddress desc_table_;
  GuestAddress avail_ring_;
  GuestAddress used_ring_;
  uint16_t next_avail_ = 0;
  uint16_t next_used_ = 0;
  uint16_t signalled_used_ = 0;  // next_used when needs_notification last answered
};

}  // namespace vmm::virtio
