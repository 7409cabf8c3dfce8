// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Fuzzes virtio-net (VIRTIO 1.2 §5.1) from both sides at once: a hostile
// driver (guest RAM, rings and chains come from the input) and a hostile
// network (frames of any size arrive on the socketpair backend). Layout:
//   byte 0   bit 0: VIRTIO_F_EVENT_IDX
//   byte 1   RX queue size = 1 << (b % 6), byte 2 the same for TX (1..32)
//   byte 3   unused
//   then records, each: op byte, le24 length, `length` bytes of data
//     op % 5 == 0  the host network sends `data` as one frame
//              1   write `data` into guest RAM at le16 address data[0..1] * 4
//              2   the driver notifies the TX queue
//              3   the driver notifies the RX queue
//              4   reset the device and activate it again
// Rings: RX at 0x1000, TX at 0x3000, laid out back to back as a driver does.
// Nothing may crash or hang, and every frame reaching the network must
// carry an all-zero header and fit the size limits.
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <vmm/virtio/net.hpp>

#include "../common/fuzz_memory.hpp"

namespace {

using namespace vmm;
using namespace vmm::virtio;

constexpr uint64_t kRamSize = 256 * 1024;
constexpr size_t kMaxRecords = 64;

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "virtio_net invariant violated: %s\n", what);
  std::abort();
}

class NullSignals final : public DeviceSignals {
 public:
  void used_buffers() override {}
  void config_changed() override {}
  void needs_reset() override {}
};

Queue make_queue(uint64_t base, uint16_t size, bool event_idx) {
  auto queue = Queue::create(NetDevice::kQueueSize);
  require(queue.ok(), "256 is a valid maximum size");
  uint64_t avail = base + desc_table_size(size);
  uint64_t used = (avail + avail_ring_size(size) + 3) & ~uint64_t{3};
  queue->set_size(size);
  queue->set_desc_table(GuestAddress(base));
  queue->set_avail_ring(GuestAddress(avail));
  queue->set_used_ring(GuestAddress(used));
  queue->set_event_idx(event_idx);
  queue->set_ready(true);
  return std::move(queue).value();
}

struct Harness {
  GuestMemory& memory;
  EventLoop loop;
  Fd peer;
  std::shared_ptr<NetDevice> device;
  NullSignals signals;
  bool event_idx;
  uint16_t rx_size;
  uint16_t tx_size;
  std::vector<uint8_t> frame = std::vector<uint8_t>(NetDevice::kMaxFrameSize + 64);

  void activate() {
    std::vector<Queue> queues;
    queues.push_back(make_queue(0x1000, rx_size, event_idx));
    queues.push_back(make_queue(0x3000, tx_size, event_idx));
    for (const Queue& q : queues) require(q.validate(memory).ok(), "the fixed ring layout is valid");
    require(device->activate(memory, std::move(queues), device->features(), signals).ok(), "activate");
  }
  // Lets the device work; a bounded number of rounds (it re-wakes itself
  // when a ring's worth of work remains).
  void run() {
    for (int i = 0; i < 4; ++i) (void)loop.run_once(0);
    drain_network();
  }
  void drain_network() {
    for (;;) {
      ssize_t n = ::recv(peer.get(), frame.data(), frame.size(), MSG_DONTWAIT | MSG_TRUNC);
      if (n <= 0) return;
      auto len = static_cast<size_t>(n);
      require(len >= NetDevice::kHeaderSize && len <= NetDevice::kMaxFrameSize, "transmitted frame size in bounds");
      require(std::all_of(frame.begin(), frame.begin() + NetDevice::kHeaderSize, [](uint8_t b) { return b == 0; }),
              "transmitted header is zeroed");
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  GuestMemory& memory = vmm::fuzz::guest_memory<kRamSize>();
  require(memory.fill_zero(GuestAddress(0), kRamSize).ok(), "guest RAM can be cleared");
  auto loop = EventLoop::create();
  auto pair = SocketPairBackend::create();
  if (!loop || !pair) return 0;
  auto device = NetDevice::create_with_backend(std::move(pair->backend), derive_mac("fuzz"));
  require(device.ok(), "device creation");
  Harness h{memory, std::move(loop).value(), std::move(pair->peer), std::move(device).value(), {},
            (data[0] & 1) != 0, static_cast<uint16_t>(1u << (data[1] % 6)), static_cast<uint16_t>(1u << (data[2] % 6))};
  require(h.device->attach_to(h.loop).ok(), "attach");
  h.activate();

  size_t at = 4;
  for (size_t records = 0; records < kMaxRecords && size - at >= 4; ++records) {
    uint8_t op = data[at];
    size_t len = data[at + 1] | (size_t{data[at + 2]} << 8) | (size_t{data[at + 3]} << 16);
    len = std::min(len, size - at - 4);
    std::span<const uint8_t> payload(data + at + 4, len);
    at += 4 + len;
    switch (op % 5) {
      case 0:
        (void)::send(h.peer.get(), payload.data(), payload.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        break;
      case 1:
        if (payload.size() >= 2) {
          uint64_t addr = (payload[0] | (uint64_t{payload[1]} << 8)) * 4;
          auto bytes = payload.subspan(2);
          if (addr + bytes.size() <= kRamSize) (void)memory.write(GuestAddress(addr), bytes);
        }
        break;
      case 2:
        (void)h.device->queue_event(NetDevice::kTxQueue).write(1);
        break;
      case 3:
        (void)h.device->queue_event(NetDevice::kRxQueue).write(1);
        break;
      case 4:
        h.device->reset();
        h.activate();
        break;
    }
    h.run();
  }
  NetCounters counters = h.device->counters();
  require(counters.rx_bytes <= counters.rx_frames * NetDevice::kMaxFrameSize, "rx byte count consistent");
  h.device->detach_from(h.loop);
  return 0;
}
