// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A vsock device on MockQueue rings in test RAM, with its unix sockets in a
// fresh temporary directory, and helpers that play the guest driver and the
// host programs.
#pragma once

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>
#include <vmm/virtio/vsock.hpp>

namespace vmm::virtio {

struct Packet {
  VsockHeader header;
  std::string payload;
};

class RecordingSignals final : public DeviceSignals {
 public:
  void used_buffers() override { ++used; }
  void config_changed() override {}
  void needs_reset() override { ++resets; }
  int used = 0, resets = 0;
};

class VsockTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kGuestCid = 3;
  static constexpr uint16_t kRingSize = 16;
  static constexpr uint64_t kRxBuffers = 0x100000;  // one 4 KiB buffer per rx descriptor
  static constexpr uint32_t kRxBufferSize = 4096;
  static constexpr uint64_t kTxBuffers = 0x200000;  // one 320 KiB buffer per tx descriptor
  static constexpr uint64_t kTxBufferSize = 0x50000;

  VsockTest();
  ~VsockTest() override;

  // --- the guest driver ---
  void activate();
  void give_rx_buffers(int count, uint32_t size = kRxBufferSize);
  // Sends one packet on the tx queue (header.len is sent as given) and runs the loop.
  void send(VsockHeader header, const std::string& payload = {});
  // A header from the guest (port guest_port) to host port host_port.
  static VsockHeader from_guest(VsockOp op, uint32_t guest_port, uint32_t host_port, uint32_t buf_alloc = 65536,
                                uint32_t fwd_cnt = 0);
  // The next packet the device put on the rx queue, if any.
  std::optional<Packet> received();
  std::vector<Packet> received_all();
  void pump(int rounds = 8);

  // --- host programs ---
  std::string path(const std::string& suffix = {}) const { return dir_ + "/v.sock" + suffix; }
  Fd listen_at(const std::string& socket_path);
  Fd connect_to(const std::string& socket_path);
  static Fd accept_from(const Fd& listener);
  static void write_all_to(const Fd& fd, const std::string& data);
  // Reads what is available within ~1 s, until `want` bytes (or EOF).
  static std::string read_from(const Fd& fd, size_t want);
  // The peer closed: EOF, or a reset when it closed with our bytes unread.
  static bool at_eof(const Fd& fd);

  GuestMemory memory;
  EventLoop loop;
  std::shared_ptr<VsockDevice> device;
  testing::MockQueue rx, tx, events;
  RecordingSignals signals;
  uint16_t rx_seen = 0;

 private:
  std::string dir_;
};

}  // namespace vmm::virtio
