// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/device.hpp>
#include <vmm/virtio/net_backend.hpp>

namespace vmm::virtio {

using MacAddress = std::array<uint8_t, 6>;

struct NetOptions {
  std::string tap;                 // interface name (Tap::open)
  std::optional<MacAddress> mac;   // derive_mac(machine name) if absent
};

// A stable MAC address for a machine: the first six bytes (little endian)
// of the 64-bit FNV-1a hash of the name, made locally administered unicast
// (first byte & 0xfe | 0x02, IEEE 802 U/L and I/G bits). The same name
// always gives the same address, so a guest keeps its DHCP lease.
[[nodiscard]] VMM_API MacAddress derive_mac(std::string_view machine_name);

// Feature bits of virtio-net (VIRTIO 1.2 §5.1.3).
inline constexpr uint64_t kNetFMac = uint64_t{1} << 5;      // VIRTIO_NET_F_MAC
inline constexpr uint64_t kNetFStatus = uint64_t{1} << 16;  // VIRTIO_NET_F_STATUS
inline constexpr uint16_t kNetSLinkUp = 1;                  // VIRTIO_NET_S_LINK_UP

// What happened to frames, for the VMM's metrics and for tests.
struct NetCounters {
  uint64_t tx_frames = 0;
  uint64_t tx_bytes = 0;
  uint64_t tx_dropped = 0;  // malformed, oversized, outside RAM, or the backend was full
  uint64_t rx_frames = 0;
  uint64_t rx_bytes = 0;
  uint64_t rx_dropped = 0;  // before activation, too large for the buffer, or malformed
};

// The rate-limiter hook (lib/ratelimit plugs in here): asked before each
// frame moves. A refusal parks that direction, keeping the frame (TX: the
// chain goes back to the ring; RX: the frame waits in the device) until
// NetDevice::resume() is called, e.g. from the limiter's timer.
class VMM_API NetThrottle {
 public:
  virtual ~NetThrottle();
  virtual bool admit_tx(uint64_t bytes) = 0;
  virtual bool admit_rx(uint64_t bytes) = 0;
};

// virtio-net (VIRTIO 1.2 §5.1) with one queue pair: receiveq1 (0) and
// transmitq1 (1). Offers VIRTIO_NET_F_MAC and VIRTIO_NET_F_STATUS (link
// up) and no checksum or segmentation offloads, so every header flag and
// gso field is zero in both directions: the device zeroes the guest's on
// TX rather than trusting it, and sets num_buffers = 1 on RX (§5.1.6.4,
// no VIRTIO_NET_F_MRG_RXBUF). Frames are at most kMaxFrameSize bytes,
// header included; anything larger is dropped.
class VMM_API NetDevice final : public VirtioDevice {
 public:
  static constexpr uint16_t kQueueSize = 256;
  static constexpr size_t kRxQueue = 0;
  static constexpr size_t kTxQueue = 1;
  static constexpr size_t kHeaderSize = 12;                    // struct virtio_net_hdr_v1
  // 65562: the header and a 64 KiB IP packet with its Ethernet (and VLAN) header.
  static constexpr size_t kMaxFrameSize = kHeaderSize + 65550;
  // struct virtio_net_config up to max_virtqueue_pairs: mac[6], status, max_virtqueue_pairs (§5.1.4).
  static constexpr uint32_t kConfigSize = 10;

  // Opens the tap `options.tap`; the MAC is options.mac or derive_mac(machine_name).
  static Result<std::shared_ptr<NetDevice>> create(const NetOptions& options, std::string_view machine_name);
  static Result<std::shared_ptr<NetDevice>> create_with_backend(std::unique_ptr<NetBackend> backend, MacAddress mac);
  ~NetDevice() override;

  [[nodiscard]] DeviceType type() const override { return DeviceType::kNet; }
  [[nodiscard]] uint64_t features() const override { return kCommonFeatures | kNetFMac | kNetFStatus; }
  [[nodiscard]] uint32_t config_size() const override { return kConfigSize; }
  [[nodiscard]] const MacAddress& mac() const { return mac_; }
  [[nodiscard]] NetCounters counters() const;

  // Installs the rate-limiter hook (nullptr: none); it must outlive the device.
  void set_throttle(NetThrottle* throttle);
  // Retries what the throttle held back (any thread).
  void resume() const { wake_loop(); }

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override;
  void on_reset() override;
  void process_queue(size_t index) override;
  Result<void> register_backend(EventLoop& loop) override;
  void unregister_backend(EventLoop& loop) override;
  void on_backend_event(int fd, uint32_t events) override;

 private:
  NetDevice(Events events, std::unique_ptr<NetBackend> backend, MacAddress mac);

  // --- TX (net_tx.cpp)
  void transmit();
  // False if the throttle refused the frame (the chain must go back).
  bool send_frame(const ChainBuffers& buffers);
  // --- RX (net_rx.cpp)
  void receive();
  // Reads the next frame into rx_frame_; false when the backend has none.
  bool read_next_frame();
  uint32_t deliver_frame(const ChainBuffers& buffers);
  void drop_inactive_frames();
  // Completes `head` (false after failing the device).
  bool has_frame_to_deliver();

  std::unique_ptr<NetBackend> backend_;
  MacAddress mac_;
  EventLoop* loop_ = nullptr;  // while the backend fd is registered
  NetThrottle* throttle_ = nullptr;
  NetCounters counters_;
  // Bounce buffers of kMaxFrameSize, allocated once.
  std::vector<uint8_t> tx_frame_;
  std::vector<uint8_t> rx_frame_;
  size_t rx_pending_ = 0;  // length of a frame in rx_frame_ still waiting for an RX buffer
};

}  // namespace vmm::virtio
