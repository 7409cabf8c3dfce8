// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Fuzzes virtio-vsock (VIRTIO 1.2 §5.10) with a hostile guest and host
// clients: tx packets (headers, lengths, credit, ops) from the input go
// through the device and its muxer to real unix sockets in a temp dir, where
// one echo listener serves host port 1000. Input: records of
//   u8 kind, u8 len, len bytes
//   kind%4 == 0  tx packet: the bytes (a 44-byte header, then payload; zero-padded to 44);
//                with bit 7 of kind set the chain carries header.len payload bytes
//                (zero-filled past the input, at most 320 KiB): credit overflows
//   kind%4 == 1  rx buffers: count = bytes[0] % 8, size = 16 * bytes[1]
//   kind%4 == 2  a host client connects and writes the bytes ("CONNECT 5\n")
//   kind%4 == 3  run the event loop; the echo listener accepts and echoes
// Nothing may crash, hang or grow without bound; see require().
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <vmm/virtio/testing/mock_queue.hpp>
#include <vmm/virtio/vsock.hpp>

#include "../common/fuzz_memory.hpp"

namespace {

using namespace vmm;
using namespace vmm::virtio;

constexpr uint64_t kRamSize = 8 << 20;
constexpr uint16_t kRingSize = 16;
constexpr uint64_t kTxBuffers = 0x100000;  // 16 slots of 320 KiB
constexpr uint64_t kTxSlot = 0x50000;
constexpr uint64_t kRxBuffers = 0x600000;  // 16 slots of 4 KiB

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "virtio_vsock invariant violated: %s\n", what);
  std::abort();
}

class NullSignals final : public DeviceSignals {
 public:
  void used_buffers() override {}
  void config_changed() override {}
  void needs_reset() override { ++resets; }
  int resets = 0;
};

sockaddr_un address_of(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  return address;
}

// The socket directory and the echo listener live for the whole run.
struct Host {
  std::string dir;
  Fd echo_listener;
  Host() {
    char pattern[] = "/tmp/vmmkit-fuzz-vsock-XXXXXX";
    require(::mkdtemp(pattern) != nullptr, "temp dir");
    dir = pattern;
    echo_listener = Fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    sockaddr_un address = address_of(dir + "/v.sock_1000");
    require(::bind(echo_listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0, "bind");
    require(::listen(echo_listener.get(), 64) == 0, "listen");
  }
};

Host& host() {
  static Host instance;
  return instance;
}

struct Harness {
  GuestMemory& memory = vmm::fuzz::guest_memory<kRamSize>();
  EventLoop loop = EventLoop::create().value();
  std::shared_ptr<VsockDevice> device;
  testing::MockQueue rx{memory, GuestAddress(0x1000), kRingSize};
  testing::MockQueue tx{memory, GuestAddress(0x3000), kRingSize};
  testing::MockQueue events{memory, GuestAddress(0x5000), kRingSize};
  NullSignals signals;
  std::vector<Fd> peers;  // echo connections and host clients

  void pump() {
    for (int i = 0; i < 4; ++i) require(loop.run_once(0).ok(), "event loop");
  }
  void echo() {
    for (int fd; (fd = ::accept4(host().echo_listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;)
      peers.emplace_back(fd);
    std::array<char, 4096> buffer{};
    for (const Fd& peer : peers) {
      ssize_t n = ::recv(peer.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n > 0) (void)::send(peer.get(), buffer.data(), static_cast<size_t>(n), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
  }
  void send_tx(const uint8_t* data, size_t len, bool full_length) {
    uint16_t slot = tx.avail_idx() % kRingSize;
    uint64_t addr = kTxBuffers + slot * kTxSlot;
    std::array<uint8_t, kVsockHeaderSize> header{};
    std::memcpy(header.data(), data, std::min(len, header.size()));
    require(memory.write(GuestAddress(addr), header).ok(), "tx header");
    size_t payload = len > header.size() ? len - header.size() : 0;
    require(memory.write(GuestAddress(addr + header.size()), std::span(data + header.size(), payload)).ok(), "tx");
    if (full_length) {
      size_t claimed = std::min<size_t>(decode_vsock_header(header).len, kTxSlot - header.size());
      if (claimed > payload) {
        require(memory.fill_zero(GuestAddress(addr + header.size() + payload), claimed - payload).ok(), "tx");
        payload = claimed;
      }
    }
    testing::Buffer buffer{addr, static_cast<uint32_t>(header.size() + payload), false};
    tx.add_chain(std::span(&buffer, 1));
    (void)device->queue_event(VsockDevice::kTxQueue).write(1);
    pump();
  }
  void add_rx(uint8_t count, uint8_t size16) {
    for (int i = 0; i < count % 8; ++i) {
      testing::Buffer buffer{0, 0, true};
      uint16_t head = rx.add_chain(std::span(&buffer, 1));
      rx.write_descriptor(head, RawDescriptor{kRxBuffers + head * 0x1000ull, 16u * size16, kDescFWrite, 0});
    }
    (void)device->queue_event(VsockDevice::kRxQueue).write(1);
    pump();
  }
  void host_client(const uint8_t* data, size_t len) {
    Fd client(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    sockaddr_un address = address_of(host().dir + "/v.sock");
    if (::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return;
    (void)::send(client.get(), data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    peers.push_back(std::move(client));
    pump();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Harness h;
  require(h.memory.fill_zero(GuestAddress(0), 0x8000).ok(), "rings cleared");
  auto created = VsockDevice::create(VsockOptions{3, host().dir + "/v.sock"});
  require(created.ok(), "device created");
  h.device = std::move(created).value();
  require(h.device->attach_to(h.loop).ok(), "attached");
  std::vector<Queue> queues;
  for (testing::MockQueue* driver : {&h.rx, &h.tx, &h.events}) {
    queues.push_back(Queue::create(VsockDevice::kQueueSize).value());
    driver->configure(queues.back(), size > 0 && (data[0] & 1) != 0);
  }
  require(h.device->activate(h.memory, std::move(queues), h.device->features(), h.signals).ok(), "activated");

  size_t pos = size > 0 ? 1 : 0;
  for (int records = 0; pos + 2 <= size && records < 64; ++records) {
    uint8_t kind = data[pos];
    size_t len = std::min<size_t>(data[pos + 1], size - pos - 2);
    const uint8_t* bytes = data + pos + 2;
    pos += 2 + len;
    switch (kind % 4) {
      case 0:
        h.send_tx(bytes, len, (kind & 0x80) != 0);
        require(h.signals.resets > 0 || h.tx.used_idx() == h.tx.avail_idx(), "every tx chain is completed");
        break;
      case 1:
        h.add_rx(len > 0 ? bytes[0] : 1, len > 1 ? bytes[1] : 0xff);
        break;
      case 2:
        h.host_client(bytes, len);
        break;
      default:
        h.echo();
        h.pump();
        break;
    }
    require(h.device->connection_count() <= 1024, "bounded connections");
  }
  h.device->reset();
  h.pump();
  require(h.device->connection_count() == 0, "reset closes every connection");
  h.device->detach_from(h.loop);
  return 0;
}
