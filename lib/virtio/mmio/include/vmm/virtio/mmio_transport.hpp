// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/bus/bus_device.hpp>
#include <vmm/devices/interrupt.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/device.hpp>
#include <vmm/virtio/mmio_registers.hpp>
#include <vmm/virtio/queue.hpp>

namespace vmm::virtio {

// The virtio-mmio transport, version 2 only (VIRTIO 1.2 §4.2.2): one 4 KiB
// register window in front of one VirtioDevice. The transport owns the
// driver-facing state (status, feature negotiation, queue configuration)
// until the driver sets DRIVER_OK; then it hands validated copies of the
// queues to VirtioDevice::activate() and reports the device's signals as
// InterruptStatus bits and edges on `interrupt`.
//
// Every register value is guest-controlled: accesses of the wrong width,
// misaligned or unknown offsets read 0 and writes to them are ignored;
// nothing the guest writes can crash, block or grow memory.
//
// Threading and lock order: read()/write() come from vCPU threads and take
// the transport's mutex, then (inside activate, reset and config accesses)
// the device's lock. The DeviceSignals methods come from the device's event
// loop with the device lock held, so they touch only atomics (the
// NEEDS_RESET status bit, InterruptStatus, ConfigGeneration) and never take
// the transport's mutex.
class VMM_API MmioTransport final : public BusDevice, public DeviceSignals {
 public:
  static constexpr uint64_t kWindowSize = 0x1000;  // one 4 KiB MMIO window per device
  static constexpr uint64_t kQueueNotifyOffset =
      0x50;  // the VMM's ioeventfd per queue (4 bytes, datamatch = index)
  static constexpr uint64_t kConfigOffset = 0x100;

  // `memory` and `interrupt` must outlive the transport. The device is
  // reset when the transport is destroyed, so it never signals a dead one.
  MmioTransport(std::shared_ptr<VirtioDevice> device, GuestMemory& memory, InterruptLine& interrupt);
  ~MmioTransport() override;
  MmioTransport(const MmioTransport&) = delete;
  MmioTransport& operator=(const MmioTransport&) = delete;

  // BusDevice, from vCPU threads.
  void read(uint64_t offset, std::span<uint8_t> data) override;
  void write(uint64_t offset, std::span<const uint8_t> data) override;

  [[nodiscard]] VirtioDevice& device() { return *device_; }
  // For tests and the VMM: the Status register, InterruptStatus, and the
  // features the driver accepted (valid once FEATURES_OK is set).
  [[nodiscard]] uint32_t status() const { return status_.load(); }
  [[nodiscard]] uint32_t interrupt_status() const { return interrupt_status_.load(); }
  [[nodiscard]] uint64_t driver_features() const;

  // DeviceSignals, from the device's event-loop thread (device lock held).
  // used_buffers: InterruptStatus |= VRING, one interrupt edge.
  void used_buffers() override;
  // config_changed: InterruptStatus |= CONFIG, ConfigGeneration + 1, one edge.
  void config_changed() override;
  // needs_reset: Status |= DEVICE_NEEDS_RESET, then config_changed (§2.1.2).
  void needs_reset() override;

 private:
  [[nodiscard]] uint32_t read_register(mmio::Register reg) const;
  void write_register(mmio::Register reg, uint32_t value);
  void read_config(uint64_t offset, std::span<uint8_t> data);
  void write_config(uint64_t offset, std::span<const uint8_t> data);
  [[nodiscard]] bool config_access_fits(uint64_t offset, size_t size) const;

  // --- status and feature negotiation (mmio_status.cpp) ---
  [[nodiscard]] uint32_t device_features_page() const;
  void write_driver_features(uint32_t value);
  void write_status(uint32_t value);
  [[nodiscard]] bool features_acceptable() const;
  void activate();
  void reset();

  // --- queue registers (mmio_queue_registers.cpp) ---
  [[nodiscard]] Queue* selected_queue();
  [[nodiscard]] const Queue* selected_queue() const;
  [[nodiscard]] bool queue_config_writable() const;
  [[nodiscard]] uint32_t read_queue_register(mmio::Register reg) const;
  void write_queue_register(mmio::Register reg, uint32_t value);
  void notify_queue(uint32_t index);

  std::shared_ptr<VirtioDevice> device_;
  GuestMemory& memory_;
  InterruptLine& interrupt_;

  mutable std::mutex mutex_;   // guards everything below except the atomics
  std::vector<Queue> queues_;  // the driver's configuration, one per device queue
  uint32_t device_features_sel_ = 0;
  uint32_t driver_features_sel_ = 0;
  uint64_t driver_features_ = 0;
  uint32_t queue_sel_ = 0;
  bool activated_ = false;  // device->activate() succeeded and no reset since

  // Written by the device thread too (see the class comment).
  std::atomic<uint32_t> status_{0};
  std::atomic<uint32_t> interrupt_status_{0};
  std::atomic<uint32_t> config_generation_{0};
};

}  // namespace vmm::virtio
