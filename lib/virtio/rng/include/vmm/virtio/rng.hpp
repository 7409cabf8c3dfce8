// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <memory>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/device.hpp>

namespace vmm::virtio {

// virtio-rng, the entropy device (VIRTIO 1.2 §5.4): one request queue whose
// device-writable buffers are filled with bytes from getrandom(2). No
// feature bits of its own and no configuration space (§5.4.3, §5.4.4).
class VMM_API RngDevice final : public VirtioDevice {
 public:
  static constexpr uint16_t kQueueSize = 256;
  // A request is answered with at most this many bytes (§5.4.6: "one or
  // more"), so a 4 GiB buffer costs no more than a 64 KiB one.
  static constexpr uint32_t kMaxBytesPerRequest = 64 * 1024;

  static Result<std::shared_ptr<RngDevice>> create();

  [[nodiscard]] DeviceType type() const override { return DeviceType::kRng; }
  [[nodiscard]] uint64_t features() const override { return kCommonFeatures; }
  [[nodiscard]] uint32_t config_size() const override { return 0; }

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override;
  void process_queue(size_t index) override;

 private:
  explicit RngDevice(Events events);
  // Bytes written into the chain's writable buffers (0 if they are not guest RAM).
  uint32_t fill_with_entropy(const ChainBuffers& buffers);
};

}  // namespace vmm::virtio
