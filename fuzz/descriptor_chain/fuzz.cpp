// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Fuzzes the device side of a split virtqueue (VIRTIO 1.2 §2.7) with a
// hostile driver: the input becomes guest RAM, so descriptors, rings, indices
// and indirect tables are all fuzzed. Input layout:
//   byte 0   queue size = 1 << (byte % 9)   (1..256: keeps a run O(size^2) small)
//   byte 1   bit 0: VIRTIO_F_EVENT_IDX
//   byte 2-3 little-endian guest address of the rings (any alignment)
//   rest     guest RAM from address 0 (1 MiB in all, the remainder zero)
// The device pops every chain, walks it, reads the readable part, writes the
// writable part and returns it, as a device would; nothing may crash, and
// the invariants in require() must hold.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/queue.hpp>

#include "../common/fuzz_memory.hpp"

namespace {

using namespace vmm;
using namespace vmm::virtio;

constexpr uint64_t kRamSize = 1 << 20;
constexpr size_t kHeader = 4;

void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "descriptor_chain invariant violated: %s\n", what);
  std::abort();
}

GuestMemory& guest_ram() { return vmm::fuzz::guest_memory<kRamSize>(); }

// Walks one chain with next(), counting hops: never more than two tables' worth.
void walk(const GuestMemory& memory, DescriptorChain chain, uint16_t size) {
  uint64_t total = 0;
  for (uint32_t hops = 0;; ++hops) {
    require(hops <= 2u * size, "a chain ends within two tables of queue-size entries");
    auto desc = chain.next(memory);
    if (!desc || !desc->has_value()) break;
    total += (*desc)->len;
    require((*desc)->addr.checked_add((*desc)->len).has_value(), "returned buffers do not wrap");
  }
  require(total <= UINT32_MAX && total == chain.total_len(), "total length fits in 32 bits");
}

// What a device does with one chain: read the request, write a reply, complete it.
void serve(GuestMemory& memory, Queue& queue, const DescriptorChain& chain) {
  walk(memory, chain, queue.size());
  auto buffers = DescriptorChain(chain).collect(memory);
  uint32_t written = 0;
  if (buffers) {
    require(uint64_t{buffers->readable_len} + buffers->writable_len <= UINT32_MAX,
            "chain length fits in 32 bits");
    (void)read_readable(memory, *buffers, 64 * 1024);
    std::vector<uint8_t> reply(std::min<uint32_t>(buffers->writable_len, 4096), 0xa5);
    ChainWriter writer(memory, buffers->writable);
    if (writer.write(reply)) written = writer.written();
    require(written <= buffers->writable_len, "never more written than writable");
  }
  uint16_t used_before = queue.next_used();
  if (queue.add_used(memory, chain.head(), written)) {
    require(queue.next_used() == static_cast<uint16_t>(used_before + 1), "add_used advances next_used");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeader) return 0;
  GuestMemory& memory = guest_ram();
  require(memory.fill_zero(GuestAddress(0), kRamSize).ok(), "guest RAM can be cleared");
  size_t ram_bytes = std::min<size_t>(size - kHeader, kRamSize);
  require(memory.write(GuestAddress(0), std::span(data + kHeader, ram_bytes)).ok(), "input fits in RAM");

  auto queue_size = static_cast<uint16_t>(1u << (data[0] % 9));
  auto queue = Queue::create(256);
  require(queue.ok(), "256 is a valid maximum size");
  uint64_t rings = data[2] | (uint64_t{data[3]} << 8);
  queue->set_size(queue_size);
  queue->set_desc_table(GuestAddress(rings));
  queue->set_avail_ring(GuestAddress(rings + desc_table_size(queue_size)));
  queue->set_used_ring(GuestAddress(rings + desc_table_size(queue_size) + avail_ring_size(queue_size)));
  queue->set_event_idx((data[1] & 1) != 0);
  queue->set_ready(true);
  // A device would refuse an invalid queue; we still exercise the checked paths once.
  bool valid = queue->validate(memory).ok();

  // Each pop is bounded, but the device's own writes (used ring, replies) may
  // land on avail.idx when the guest overlaps them, so keep feeding it more
  // chains: a device needs a work budget per notification, and so does this loop.
  for (uint32_t pops = 0; pops < 4u * queue_size; ++pops) {
    auto popped = queue->pop(memory);
    if (!popped) {
      if (popped.error().code() == QueueErrc::kInvalidDescriptorIndex) continue;  // entry consumed
      break;
    }
    if (!popped->has_value()) break;
    serve(memory, *queue, **popped);
    (void)queue->needs_notification(memory);
    if (!valid) break;
  }
  (void)queue->enable_notification(memory);
  (void)queue->disable_notification(memory);
  return 0;
}
