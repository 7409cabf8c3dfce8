// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-mmio device status and feature negotiation: the driver
// initialization sequence of VIRTIO 1.2 §3.1.1, reset (§2.4, §4.2.3.1) and
// activation on DRIVER_OK.
#include <vmm/virtio/mmio_transport.hpp>

namespace vmm::virtio {

using namespace mmio;

namespace {

// The feature pages a 64-bit feature word has (§4.2.2 DeviceFeaturesSel).
constexpr uint32_t kFeaturePages = 2;

uint32_t feature_page(uint64_t features, uint32_t page) {
  return page < kFeaturePages ? static_cast<uint32_t>(features >> (32 * page)) : 0;
}

// Each status bit a driver adds needs the one before it (§3.1.1): DRIVER
// after ACKNOWLEDGE, FEATURES_OK after DRIVER, DRIVER_OK after FEATURES_OK.
// FAILED may be set at any time ("the driver gave up").
bool prerequisites_met(uint32_t status) {
  auto needs = [status](uint32_t bit, uint32_t before) {
    return (status & bit) == 0 || (status & before) != 0;
  };
  return needs(kStatusDriver, kStatusAcknowledge) && needs(kStatusFeaturesOk, kStatusDriver) &&
         needs(kStatusDriverOk, kStatusFeaturesOk);
}

}  // namespace

uint32_t MmioTransport::device_features_page() const {
  return feature_page(device_->features(), device_features_sel_);
}

// DriverFeatures is fixed once FEATURES_OK is set (§3.1.1 step 5: "MUST NOT
// accept new feature bits after this step"); pages above 1 do not exist.
void MmioTransport::write_driver_features(uint32_t value) {
  if ((status_.load() & kStatusFeaturesOk) != 0 || driver_features_sel_ >= kFeaturePages) return;
  unsigned shift = 32 * driver_features_sel_;
  driver_features_ = (driver_features_ & ~(uint64_t{0xffffffff} << shift)) | (uint64_t{value} << shift);
}

// §2.2.1: the device accepts only features it offered. Legacy drivers (no
// VIRTIO_F_VERSION_1) are refused: this transport is version 2 only and
// there is no legacy interface behind it (§4.2.4 is not implemented).
bool MmioTransport::features_acceptable() const {
  return (driver_features_ & ~device_->features()) == 0 && (driver_features_ & kFVersion1) != 0;
}

// Writing 0 resets; any other write may only add driver bits in order. A
// write that would clear a bit, sets an unknown bit or skips a step is
// ignored (a driver follows §3.1.1, so only a broken one gets here).
// NEEDS_RESET belongs to the device: a driver writing back what it read
// (Linux does status = get_status() | bit) neither sets nor clears it.
void MmioTransport::write_status(uint32_t value) {
  if (value == 0) return reset();
  uint32_t current = status_.load() & kStatusDriverBits;
  uint32_t requested = value & ~kStatusNeedsReset;
  if ((requested & ~kStatusDriverBits) != 0 || (requested & current) != current ||
      !prerequisites_met(requested))
    return;
  // FEATURES_OK is where the device says yes or no to the features (§3.1.1
  // step 6): a refused set leaves the bit clear for the driver to read back,
  // and DRIVER_OK cannot follow in the same write.
  if ((requested & ~current & kStatusFeaturesOk) != 0 && !features_acceptable())
    requested &= ~(kStatusFeaturesOk | kStatusDriverOk);
  uint32_t added = requested & ~current;
  status_.fetch_or(added);
  if ((added & kStatusDriverOk) != 0) activate();
}

// DRIVER_OK: the device gets copies of the queues the driver configured.
// Every ready queue must lie in guest RAM with a valid size (§2.7); any
// failure sets DEVICE_NEEDS_RESET instead of activating (§2.1.2).
void MmioTransport::activate() {
  bool event_idx = (driver_features_ & kFRingEventIdx) != 0;
  std::vector<Queue> queues = queues_;
  bool valid = true;
  for (auto& queue : queues) {
    queue.set_event_idx(event_idx);
    if (queue.ready() && !queue.validate(memory_)) valid = false;
  }
  if (valid && device_->activate(memory_, std::move(queues), driver_features_, *this)) {
    activated_ = true;
    return;
  }
  needs_reset();
}

// Status 0 (§4.2.3.1): the device drops its queues first, so it cannot
// signal any more, then the transport forgets the driver's configuration.
// ConfigGeneration keeps counting so a driver never sees an old value again.
void MmioTransport::reset() {
  if (activated_) device_->reset();
  activated_ = false;
  for (auto& queue : queues_) queue.reset();
  device_features_sel_ = 0;
  driver_features_sel_ = 0;
  driver_features_ = 0;
  queue_sel_ = 0;
  interrupt_status_.store(0);
  status_.store(0);
}

}  // namespace vmm::virtio
