// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A fake VirtioDevice that records what the transport does to it, and a
// fixture that plays the driver's side of the register window.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <vector>

#include <vmm/devices/fakes.hpp>
#include <vmm/virtio/mmio_transport.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace vmm::virtio::mmio_test {

using mmio::Register;

// A device-specific feature bit in each page, to see both pages at work.
inline constexpr uint64_t kFeatureLow = uint64_t{1} << 3;
inline constexpr uint64_t kFeatureHigh = uint64_t{1} << 40;
inline constexpr uint64_t kOfferedFeatures = kCommonFeatures | kFeatureLow | kFeatureHigh;
inline constexpr uint32_t kConfigSize = 12;

// Two queues (max 16 and 8), 12 bytes of writable config space. Completes
// every chain with the writable length; a ring it cannot pop from fails it.
class FakeDevice final : public VirtioDevice {
 public:
  static std::shared_ptr<FakeDevice> create(std::vector<uint16_t> max_sizes = {16, 8}) {
    auto events = create_events(max_sizes.size());
    EXPECT_TRUE(events.ok());
    return std::shared_ptr<FakeDevice>(new FakeDevice(std::move(max_sizes), std::move(events).value()));
  }
  DeviceType type() const override { return DeviceType::kBlock; }
  uint64_t features() const override { return kOfferedFeatures; }
  uint32_t config_size() const override { return kConfigSize; }

  // What the transport handed over at the last activation.
  std::vector<Queue> activated_queues;
  uint64_t activated_features = 0;
  int activations = 0;
  int resets = 0;
  bool refuse_activation = false;
  std::array<uint8_t, kConfigSize> config{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

  // The device side of the signals, as the event-loop thread would send them.
  void signal_config_change() {
    std::lock_guard guard(lock());
    if (signals() != nullptr) signals()->config_changed();
  }
  void break_device(const std::string& why) {
    std::lock_guard guard(lock());
    fail(why);
  }

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override {
    for (size_t i = 0; i < data.size(); ++i) data[i] = config.at(offset + i);
  }
  void write_config_locked(uint32_t offset, std::span<const uint8_t> data) override {
    for (size_t i = 0; i < data.size(); ++i) config.at(offset + i) = data[i];
  }
  Result<void> on_activate() override {
    if (refuse_activation) return Error(std::make_error_code(std::errc::invalid_argument), "refused");
    ++activations;
    activated_queues.clear();
    for (size_t i = 0; i < num_queues(); ++i) activated_queues.push_back(queue(i));
    activated_features = acked_features();
    return ok();
  }
  void on_reset() override { ++resets; }
  void process_queue(size_t index) override {
    if (!queue(index).ready()) return;
    size_t served = 0;
    for (; served < queue(index).size(); ++served) {
      auto popped = queue(index).pop(memory());
      if (!popped) return fail("ring broken");
      if (!*popped) break;
      auto buffers = (*popped)->collect(memory());
      (void)queue(index).add_used(memory(), (*popped)->head(), buffers ? buffers->writable_len : 0);
    }
    if (served > 0) notify_used(index);
  }

 private:
  FakeDevice(std::vector<uint16_t> max_sizes, Events events)
      : VirtioDevice(std::move(max_sizes), std::move(events.queues), std::move(events.wake)) {}
};

struct MmioTest : ::testing::Test {
  MmioTest()
      : memory(GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), 1 << 20}}).value()),
        device(FakeDevice::create()),
        transport(device, memory, interrupt) {}

  uint32_t read32(uint64_t offset) {
    std::array<uint8_t, 4> bytes{0xee, 0xee, 0xee, 0xee};
    transport.read(offset, bytes);
    return bytes[0] | bytes[1] << 8 | bytes[2] << 16 | static_cast<uint32_t>(bytes[3]) << 24;
  }
  uint32_t read32(Register reg) { return read32(static_cast<uint64_t>(reg)); }
  void write32(uint64_t offset, uint32_t value) {
    std::array<uint8_t, 4> bytes{static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
                                 static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 24)};
    transport.write(offset, bytes);
  }
  void write32(Register reg, uint32_t value) { write32(static_cast<uint64_t>(reg), value); }

  // Status |= bit, the way Linux's virtio_add_status does it.
  void add_status(uint32_t bit) { write32(Register::kStatus, read32(Register::kStatus) | bit); }
  void write_driver_features(uint64_t features) {
    write32(Register::kDriverFeaturesSel, 0);
    write32(Register::kDriverFeatures, static_cast<uint32_t>(features));
    write32(Register::kDriverFeaturesSel, 1);
    write32(Register::kDriverFeatures, static_cast<uint32_t>(features >> 32));
  }
  // ACKNOWLEDGE, DRIVER, features, FEATURES_OK; true if the device kept FEATURES_OK.
  bool negotiate(uint64_t features = kFVersion1) {
    add_status(mmio::kStatusAcknowledge);
    add_status(mmio::kStatusDriver);
    write_driver_features(features);
    add_status(mmio::kStatusFeaturesOk);
    return (read32(Register::kStatus) & mmio::kStatusFeaturesOk) != 0;
  }
  void setup_queue(uint32_t index, const testing::MockQueue& ring) {
    write32(Register::kQueueSel, index);
    write32(Register::kQueueNum, ring.size());
    write32(Register::kQueueDescLow, static_cast<uint32_t>(ring.desc_table().value()));
    write32(Register::kQueueDescHigh, static_cast<uint32_t>(ring.desc_table().value() >> 32));
    write32(Register::kQueueDriverLow, static_cast<uint32_t>(ring.avail_ring().value()));
    write32(Register::kQueueDriverHigh, static_cast<uint32_t>(ring.avail_ring().value() >> 32));
    write32(Register::kQueueDeviceLow, static_cast<uint32_t>(ring.used_ring().value()));
    write32(Register::kQueueDeviceHigh, static_cast<uint32_t>(ring.used_ring().value() >> 32));
    write32(Register::kQueueReady, 1);
  }

  GuestMemory memory;
  fakes::CountingInterruptLine interrupt;
  std::shared_ptr<FakeDevice> device;
  MmioTransport transport;
};

}  // namespace vmm::virtio::mmio_test
