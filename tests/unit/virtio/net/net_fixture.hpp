// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A NetDevice on a socketpair backend with a mock driver: the test plays
// both the guest (MockQueue) and the host network (the peer socket).
#pragma once

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include <vmm/virtio/net.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace vmm::virtio::net_test {

using testing::Buffer;

class RecordingSignals final : public DeviceSignals {
 public:
  void used_buffers() override { ++used; }
  void config_changed() override {}
  void needs_reset() override { ++resets; }
  int used = 0, resets = 0;
};

inline constexpr uint64_t kRamSize = 1 << 20;
inline constexpr MacAddress kMac{0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

// A frame as the network carries it: 12-byte header, then `payload`.
inline std::vector<uint8_t> frame_with(const std::string& payload, uint8_t header_fill = 0) {
  std::vector<uint8_t> frame(NetDevice::kHeaderSize, header_fill);
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

struct NetTest : ::testing::Test {
  NetTest()
      : memory(GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), kRamSize}}).value()),
        loop(EventLoop::create().value()),
        rx(memory, GuestAddress(0x1000), 16),
        tx(memory, GuestAddress(0x4000), 16) {
    auto pair = SocketPairBackend::create();
    EXPECT_TRUE(pair.ok());
    peer = std::move(pair->peer);
    device = NetDevice::create_with_backend(std::move(pair->backend), kMac).value();
    EXPECT_TRUE(device->attach_to(loop).ok());
  }
  ~NetTest() override { device->detach_from(loop); }

  void activate(bool event_idx = false) {
    std::vector<Queue> queues;
    queues.push_back(Queue::create(NetDevice::kQueueSize).value());
    queues.push_back(Queue::create(NetDevice::kQueueSize).value());
    rx.configure(queues[0], event_idx);
    tx.configure(queues[1], event_idx);
    ASSERT_TRUE(device->activate(memory, std::move(queues), device->features(), signals).ok());
    run();
  }
  void run() {
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(loop.run_once(0).ok());
  }
  void notify(size_t queue) {
    ASSERT_TRUE(device->queue_event(queue).write(1).ok());
    run();
  }
  void put(uint64_t addr, std::span<const uint8_t> bytes) {
    ASSERT_TRUE(memory.write(GuestAddress(addr), bytes).ok());
  }
  std::vector<uint8_t> get(uint64_t addr, size_t len) {
    std::vector<uint8_t> bytes(len);
    EXPECT_TRUE(memory.read(GuestAddress(addr), bytes).ok());
    return bytes;
  }
  // The host network sends a frame to the guest.
  void host_sends(std::span<const uint8_t> frame) {
    ASSERT_EQ(::send(peer.get(), frame.data(), frame.size(), 0), static_cast<ssize_t>(frame.size()));
  }
  // The next frame the guest sent, or an empty vector if none is waiting.
  std::vector<uint8_t> host_receives() {
    std::vector<uint8_t> frame(NetDevice::kMaxFrameSize + 16);
    ssize_t n = ::recv(peer.get(), frame.data(), frame.size(), MSG_DONTWAIT);
    frame.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return frame;
  }
  uint16_t add_rx_buffer(uint64_t addr, uint32_t len) {
    std::array<Buffer, 1> buffer{{{addr, len, true}}};
    return rx.add_chain(buffer);
  }
  // The guest transmits `frame` from one readable buffer at `addr`.
  uint16_t guest_sends(uint64_t addr, std::span<const uint8_t> frame) {
    put(addr, frame);
    std::array<Buffer, 1> buffer{{{addr, static_cast<uint32_t>(frame.size()), false}}};
    return tx.add_chain(buffer);
  }

  GuestMemory memory;
  EventLoop loop;
  testing::MockQueue rx;
  testing::MockQueue tx;
  Fd peer;
  std::shared_ptr<NetDevice> device;
  RecordingSignals signals;
};

}  // namespace vmm::virtio::net_test
