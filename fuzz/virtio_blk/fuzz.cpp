// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Fuzzes the virtio-blk device (VIRTIO 1.2 §5.2) with a hostile driver: the
// input becomes guest RAM holding the rings, descriptors, request headers,
// data and discard segments, and the device serves it into a 64 KiB image.
// Input layout:
//   byte 0   bit 0: read-only device, bit 1: VIRTIO_F_EVENT_IDX
//   byte 1   queue size = 1 << (byte % 9)   (1..256)
//   rest     guest RAM from address 0 (1 MiB in all, the remainder zero);
//            the rings sit at 0x1000: descriptor table, available ring,
//            used ring back to back (as MockQueue lays them out)
// Nothing may crash, leak, hang or trip a sanitizer. (The device's writes may
// land on the rings when the guest overlaps buffers with them, so the used
// ring itself proves nothing here; the unit tests check completions.)
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <vmm/event/event_loop.hpp>
#include <vmm/virtio/block.hpp>
#include <vmm/virtio/descriptor.hpp>

#include "../common/fuzz_memory.hpp"

namespace {

using namespace vmm;
using namespace vmm::virtio;

constexpr uint64_t kRamSize = 1 << 20;
constexpr uint64_t kRings = 0x1000;
constexpr uint64_t kImageSize = 64 * 1024;
constexpr size_t kHeader = 2;

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "virtio_blk invariant violated: %s\n", what);
  std::abort();
}

class NullSignals final : public DeviceSignals {
 public:
  void used_buffers() override {}
  void config_changed() override {}
  void needs_reset() override {}
};

// The image (a memfd, so nothing touches the disk), the two devices over it
// and their event loop live for the whole run: creating them per input
// would dominate the run time.
struct Rig {
  Rig() {
    image = ::memfd_create("fuzz-virtio-blk", MFD_CLOEXEC);
    require(image >= 0 && ::ftruncate(image, kImageSize) == 0, "memfd image");
    std::string path = "/proc/self/fd/" + std::to_string(image);
    auto created_loop = EventLoop::create();
    require(created_loop.ok(), "event loop");
    loop = std::make_unique<EventLoop>(std::move(created_loop).value());
    for (bool read_only : {false, true}) {
      auto device = BlockDevice::create({.path = path, .read_only = read_only, .id = "fuzz"});
      require(device.ok(), "block device over the memfd");
      require((*device)->attach_to(*loop).ok(), "attach");
      devices.push_back(std::move(device).value());
    }
  }
  // Back to an all-zero image, so inputs do not depend on each other.
  void clear_image() const {
    require(::ftruncate(image, 0) == 0 && ::ftruncate(image, kImageSize) == 0, "clear");
  }

  int image = -1;
  std::unique_ptr<EventLoop> loop;
  std::vector<std::shared_ptr<BlockDevice>> devices;
  NullSignals signals;
};

Rig& rig() {
  static Rig instance;
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeader) return 0;
  GuestMemory& memory = vmm::fuzz::guest_memory<kRamSize>();
  require(memory.fill_zero(GuestAddress(0), kRamSize).ok(), "guest RAM can be cleared");
  require(memory.write(GuestAddress(0), std::span(data + kHeader, std::min<size_t>(size - kHeader, kRamSize)))
              .ok(),
          "input fits in RAM");
  Rig& r = rig();
  r.clear_image();
  BlockDevice& device = *r.devices[data[0] & 1];
  bool event_idx = (data[0] & 2) != 0;
  auto queue_size = static_cast<uint16_t>(1u << (data[1] % 9));

  auto queue = Queue::create(BlockDevice::kQueueSize);
  require(queue.ok(), "queue");
  uint64_t avail = kRings + desc_table_size(queue_size);
  uint64_t used = (avail + avail_ring_size(queue_size) + 3) & ~uint64_t{3};
  queue->set_size(queue_size);
  queue->set_desc_table(GuestAddress(kRings));
  queue->set_avail_ring(GuestAddress(avail));
  queue->set_used_ring(GuestAddress(used));
  queue->set_event_idx(event_idx);
  queue->set_ready(true);
  require(queue->validate(memory).ok(), "the fixed ring layout is valid");
  std::vector<Queue> queues;
  queues.push_back(std::move(queue).value());
  require(device.activate(memory, std::move(queues), device.features(), r.signals).ok(), "activate");
  // activate() wakes the loop; each round serves at most a queue's worth.
  for (int round = 0; round < 4; ++round) require(r.loop->run_once(0).ok(), "loop round");
  device.reset();
  return 0;
}
