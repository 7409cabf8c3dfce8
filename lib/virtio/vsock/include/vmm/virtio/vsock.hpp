// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/virtio/device.hpp>
#include <vmm/virtio/vsock_error.hpp>
#include <vmm/virtio/vsock_packet.hpp>

namespace vmm::virtio {

class VsockMuxer;

struct VsockOptions {
  uint64_t guest_cid = kVsockMinGuestCid;  // 3 .. 2^32-2 (§5.10.4)
  // Host side, as Firecracker's hybrid vsock: host clients connect here and
  // send "CONNECT <port>\n"; guest connections to host port P go to
  // uds_path + "_" + P.
  std::string uds_path;
};

// virtio-vsock (VIRTIO 1.2 §5.10) with stream sockets relayed to unix
// sockets on the host (docs/virtio-vsock.md). Queues: rx (0), tx (1) and
// event (2); the event queue is only held. Everything the guest sends is
// bounded: at most kMaxConnections connections, at most kBufAlloc bytes
// buffered per connection (the credit we grant, §5.10.6.3), and a guest that
// overruns its credit has its connection reset.
class VMM_API VsockDevice final : public VirtioDevice {
 public:
  static constexpr uint16_t kQueueSize = 256;
  static constexpr size_t kRxQueue = 0;
  static constexpr size_t kTxQueue = 1;
  static constexpr size_t kEventQueue = 2;
  // VIRTIO_VSOCK_F_STREAM (§5.10.3).
  static constexpr uint64_t kFStream = 1;

  // Checks the CID, binds and listens on uds_path (a stale socket there is
  // replaced; any other file is an error). The socket is removed again when
  // the device is destroyed.
  static Result<std::shared_ptr<VsockDevice>> create(const VsockOptions& options);
  ~VsockDevice() override;

  [[nodiscard]] DeviceType type() const override { return DeviceType::kVsock; }
  [[nodiscard]] uint64_t features() const override { return kCommonFeatures | kFStream; }
  // struct virtio_vsock_config { le64 guest_cid; } (§5.10.4)
  [[nodiscard]] uint32_t config_size() const override { return 8; }
  [[nodiscard]] uint64_t guest_cid() const { return guest_cid_; }
  // Live connections and host clients still sending their CONNECT line.
  [[nodiscard]] size_t connection_count() const;

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override;
  void on_reset() override;
  void process_queue(size_t index) override;
  Result<void> register_backend(EventLoop& loop) override;
  void unregister_backend(EventLoop& loop) override;
  void on_backend_event(int fd, uint32_t events) override;

 private:
  VsockDevice(Events events, uint64_t guest_cid, std::unique_ptr<VsockMuxer> muxer);
  void process_tx();
  void process_rx();

  uint64_t guest_cid_;
  std::unique_ptr<VsockMuxer> muxer_;
};

}  // namespace vmm::virtio
