// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/ratelimit/rate_limiter.hpp>
#include <vmm/virtio/block_error.hpp>
#include <vmm/virtio/block_spec.hpp>
#include <vmm/virtio/device.hpp>

namespace vmm::virtio {

namespace blk {
class BlockImage;
struct ParsedRequest;
}  // namespace blk

struct BlockOptions {
  std::string path;        // raw image: a regular file (or block device) of whole 512-byte sectors
  bool read_only = false;  // opened O_RDONLY; writes, discards and write-zeroes fail with IOERR
  std::string id;          // GET_ID serial (<= 20 printable ASCII); empty: derived from device + inode
  bool direct_io = false;  // O_DIRECT, through aligned bounce buffers
  std::optional<ratelimit::RateLimitConfig> rate_limit;
};

// virtio-blk (VIRTIO 1.2 §5.2) over a raw image file, one request queue.
// Requests run synchronously on the event-loop thread in process_queue
// (never on a vCPU thread). Every guest-supplied value is checked: a bad
// request completes with VIRTIO_BLK_S_IOERR/UNSUPP, a broken chain with used
// length 0, a broken ring puts the device in NEEDS_RESET.
class VMM_API BlockDevice final : public VirtioDevice {
 public:
  static constexpr uint16_t kQueueSize = 256;
  // Largest discard / write-zeroes range per request, in sectors (32 MiB):
  // bounds the zero-writing fallback.
  static constexpr uint32_t kMaxZeroingSectors = 65536;

  // `clock` drives the rate limiter (tests inject a fake one).
  static Result<std::shared_ptr<BlockDevice>> create(const BlockOptions& options,
                                                     ratelimit::Clock clock = ratelimit::monotonic_clock());
  ~BlockDevice() override;

  [[nodiscard]] DeviceType type() const override { return DeviceType::kBlock; }
  [[nodiscard]] uint64_t features() const override;
  [[nodiscard]] uint32_t config_size() const override { return blk::kConfigSize; }

  [[nodiscard]] uint64_t capacity_sectors() const;
  [[nodiscard]] bool read_only() const;
  // The 20-byte GET_ID answer (NUL-padded).
  [[nodiscard]] const std::array<uint8_t, blk::kIdBytes>& id() const { return id_; }

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override;
  void process_queue(size_t index) override;
  Result<void> register_backend(EventLoop& loop) override;
  void unregister_backend(EventLoop& loop) override;
  void on_backend_event(int fd, uint32_t events) override;

 private:
  enum class Served { kDone, kThrottled };

  BlockDevice(Events events, std::unique_ptr<blk::BlockImage> image, std::array<uint8_t, blk::kIdBytes> id,
              std::optional<ratelimit::RateLimiter> limiter);
  // Serves one walked chain; kThrottled means it was not started.
  Served serve_chain(ChainBuffers& buffers, uint32_t& used_len);
  bool admit(const blk::ParsedRequest& request);

  std::unique_ptr<blk::BlockImage> image_;
  std::array<uint8_t, blk::kIdBytes> id_;
  std::array<uint8_t, blk::kConfigSize> config_{};
  std::optional<ratelimit::RateLimiter> limiter_;
};

}  // namespace vmm::virtio
