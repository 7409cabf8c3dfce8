// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio register window: access decoding, the fixed identification
// registers, interrupt status and the configuration space (VIRTIO 1.2 §4.2.2).
#include <algorithm>

#include <vmm/base/bytes.hpp>
#include <vmm/virtio/mmio_transport.hpp>

namespace vmm::virtio {

using mmio::Register;

namespace {

constexpr size_t kRegisterWidth = 4;

}  // namespace

MmioTransport::MmioTransport(std::shared_ptr<VirtioDevice> device, GuestMemory& memory,
                             InterruptLine& interrupt)
    : device_(std::move(device)), memory_(memory), interrupt_(interrupt) {
  queues_.reserve(device_->num_queues());
  for (size_t i = 0; i < device_->num_queues(); ++i) {
    auto queue = Queue::create(device_->queue_max_size(i));
    // A device with an invalid maximum size is a VMM bug; leaving its queues
    // out makes every QueueNumMax read 0 and DRIVER_OK fail (activate()
    // wants one queue per device queue), so the guest sees a broken device.
    if (!queue) {
      queues_.clear();
      break;
    }
    queues_.push_back(std::move(queue).value());
  }
}

MmioTransport::~MmioTransport() {
  std::lock_guard guard(mutex_);
  if (activated_) device_->reset();
}

uint64_t MmioTransport::driver_features() const {
  std::lock_guard guard(mutex_);
  return driver_features_;
}

void MmioTransport::read(uint64_t offset, std::span<uint8_t> data) {
  std::fill(data.begin(), data.end(), uint8_t{0});
  if (offset >= kConfigOffset) return read_config(offset, data);
  if (data.size() != kRegisterWidth || offset % kRegisterWidth != 0) return;
  uint32_t value = 0;
  {
    std::lock_guard guard(mutex_);
    value = read_register(static_cast<Register>(offset));
  }
  (void)store_le<uint32_t>(data, 0, value);
}

void MmioTransport::write(uint64_t offset, std::span<const uint8_t> data) {
  if (offset >= kConfigOffset) return write_config(offset, data);
  if (data.size() != kRegisterWidth || offset % kRegisterWidth != 0) return;
  auto value = load_le<uint32_t>(data, 0);
  if (!value) return;
  std::lock_guard guard(mutex_);
  write_register(static_cast<Register>(offset), *value);
}

uint32_t MmioTransport::read_register(Register reg) const {
  switch (reg) {
    case Register::kMagicValue:
      return mmio::kMagicValue;
    case Register::kVersion:
      return mmio::kVersion;
    case Register::kDeviceId:
      return static_cast<uint32_t>(device_->type());
    case Register::kVendorId:
      return mmio::kVendorId;
    case Register::kDeviceFeatures:
      return device_features_page();
    case Register::kQueueNumMax:
    case Register::kQueueReady:
      return read_queue_register(reg);
    case Register::kInterruptStatus:
      return interrupt_status_.load();
    case Register::kStatus:
      return status_.load();
    case Register::kShmLenLow:
    case Register::kShmLenHigh:
      return mmio::kNoShmRegion;
    case Register::kConfigGeneration:
      return config_generation_.load();
    default:
      return 0;  // write-only, reserved, or QueueReset without VIRTIO_F_RING_RESET
  }
}

void MmioTransport::write_register(Register reg, uint32_t value) {
  switch (reg) {
    case Register::kDeviceFeaturesSel:
      device_features_sel_ = value;
      break;
    case Register::kDriverFeatures:
      write_driver_features(value);
      break;
    case Register::kDriverFeaturesSel:
      driver_features_sel_ = value;
      break;
    case Register::kQueueNotify:
      notify_queue(value);
      break;
    case Register::kInterruptAck:
      interrupt_status_.fetch_and(~(value & mmio::kInterruptMask));
      break;
    case Register::kStatus:
      write_status(value);
      break;
    case Register::kQueueSel:
    case Register::kQueueNum:
    case Register::kQueueReady:
    case Register::kQueueDescLow:
    case Register::kQueueDescHigh:
    case Register::kQueueDriverLow:
    case Register::kQueueDriverHigh:
    case Register::kQueueDeviceLow:
    case Register::kQueueDeviceHigh:
      write_queue_register(reg, value);
      break;
    default:
      break;  // read-only, reserved, SHMSel (no regions), QueueReset
  }
}

// Configuration space accesses (§4.2.2: "accessed with ... 8, 16, 32 and 64
// bit" widths) must lie wholly inside the device's config_size bytes and the
// window; VirtioDevice relies on that bound.
bool MmioTransport::config_access_fits(uint64_t offset, size_t size) const {
  if (size != 1 && size != 2 && size != 4 && size != 8) return false;
  uint64_t limit = std::min<uint64_t>(device_->config_size(), kWindowSize - kConfigOffset);
  uint64_t start = offset - kConfigOffset;
  return start <= limit && size <= limit - start;
}

void MmioTransport::read_config(uint64_t offset, std::span<uint8_t> data) {
  if (!config_access_fits(offset, data.size())) return;
  device_->read_config(static_cast<uint32_t>(offset - kConfigOffset), data);
}

void MmioTransport::write_config(uint64_t offset, std::span<const uint8_t> data) {
  if (!config_access_fits(offset, data.size())) return;
  device_->write_config(static_cast<uint32_t>(offset - kConfigOffset), data);
}

void MmioTransport::used_buffers() {
  interrupt_status_.fetch_or(mmio::kInterruptVring);
  interrupt_.trigger();
}

void MmioTransport::config_changed() {
  // Bump the generation before raising the interrupt so a driver that
  // reacts to it re-reads the configuration (§4.2.2, ConfigGeneration).
  config_generation_.fetch_add(1);
  interrupt_status_.fetch_or(mmio::kInterruptConfig);
  interrupt_.trigger();
}

void MmioTransport::needs_reset() {
  status_.fetch_or(mmio::kStatusNeedsReset);
  config_changed();
}

}  // namespace vmm::virtio
