// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio queue registers: QueueSel and the configuration of the
// selected queue (§4.2.2, §4.2.3.2 "Virtqueue Configuration"), QueueNotify.
#include <bit>

#include <vmm/virtio/mmio_transport.hpp>

namespace vmm::virtio {

using namespace mmio;

namespace {

constexpr uint64_t kLowHalf = 0xffffffff;

GuestAddress with_low(GuestAddress addr, uint32_t low) {
  return GuestAddress((addr.value() & ~kLowHalf) | low);
}
GuestAddress with_high(GuestAddress addr, uint32_t high) {
  return GuestAddress((addr.value() & kLowHalf) | (uint64_t{high} << 32));
}

// §4.2.2 QueueNum / §2.7: a queue size is a power of two no larger than QueueNumMax.
bool size_acceptable(const Queue& queue) {
  return queue.size() != 0 && std::has_single_bit(queue.size()) && queue.size() <= queue.max_size();
}

}  // namespace

Queue* MmioTransport::selected_queue() {
  return queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
}
const Queue* MmioTransport::selected_queue() const {
  return queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
}

// The driver configures queues before DRIVER_OK (§3.1.1 step 7); afterwards
// the device owns copies of them, and a device that needs a reset is past
// configuring. (Queue itself also ignores ring changes while ready.)
bool MmioTransport::queue_config_writable() const {
  return (status_.load() & (kStatusDriverOk | kStatusNeedsReset)) == 0;
}

uint32_t MmioTransport::read_queue_register(Register reg) const {
  const Queue* queue = selected_queue();
  if (queue == nullptr) return 0;  // §4.2.3.2: QueueNumMax 0 means "not available"
  if (reg == Register::kQueueNumMax) return queue->max_size();
  if (reg == Register::kQueueReady) return queue->ready() ? 1 : 0;
  return 0;
}

void MmioTransport::write_queue_register(Register reg, uint32_t value) {
  if (!queue_config_writable()) return;
  if (reg == Register::kQueueSel) {
    queue_sel_ = value;
    return;
  }
  Queue* queue = selected_queue();
  if (queue == nullptr) return;
  switch (reg) {
    // A size that does not fit 16 bits is stored as 0 so that QueueReady
    // refuses it, instead of being truncated into a valid-looking size.
    case Register::kQueueNum:
      queue->set_size(value <= 0xffff ? static_cast<uint16_t>(value) : 0);
      break;
    case Register::kQueueReady:
      if (value == 0) queue->set_ready(false);
      if (value == 1 && size_acceptable(*queue)) queue->set_ready(true);
      break;
    case Register::kQueueDescLow:
      queue->set_desc_table(with_low(queue->desc_table(), value));
      break;
    case Register::kQueueDescHigh:
      queue->set_desc_table(with_high(queue->desc_table(), value));
      break;
    case Register::kQueueDriverLow:
      queue->set_avail_ring(with_low(queue->avail_ring(), value));
      break;
    case Register::kQueueDriverHigh:
      queue->set_avail_ring(with_high(queue->avail_ring(), value));
      break;
    case Register::kQueueDeviceLow:
      queue->set_used_ring(with_low(queue->used_ring(), value));
      break;
    case Register::kQueueDeviceHigh:
      queue->set_used_ring(with_high(queue->used_ring(), value));
      break;
    default:
      break;
  }
}

// Without a KVM ioeventfd on QueueNotify the write lands here; it is passed
// on as the same event the ioeventfd would signal. Only an index of an
// existing queue is accepted (an unchecked index is CVE-2011-2512), and only
// once the device runs: before that there is nobody to notify.
void MmioTransport::notify_queue(uint32_t index) {
  if (!activated_ || (status_.load() & kStatusDriverOk) == 0 || index >= device_->num_queues()) return;
  (void)device_->queue_event(index).write(1);
}

}  // namespace vmm::virtio
