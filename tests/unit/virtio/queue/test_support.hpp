// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Shared setup of the virtqueue tests: 1 MiB of guest RAM at 0, a queue of
// 16 entries whose rings the driver-side MockQueue lays out at 0x1000, and
// buffers from kData on.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/descriptor_chain.hpp>
#include <vmm/virtio/queue.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace vmm::virtio {

inline constexpr uint64_t kRamSize = 1 << 20;
inline constexpr uint64_t kRings = 0x1000;
inline constexpr uint64_t kData = 0x10000;
inline constexpr uint64_t kIndirect = 0x8000;

inline GuestMemory make_memory() {
  auto memory = GuestMemory::create(std::vector<RegionSpec>{{GuestAddress(0), kRamSize}});
  EXPECT_TRUE(memory.ok()) << memory.error().message();
  return std::move(memory).value();
}

inline Queue make_queue(uint16_t max_size) {
  auto queue = Queue::create(max_size);
  EXPECT_TRUE(queue.ok()) << queue.error().message();
  return std::move(queue).value();
}

// The error code of a failed Result (or a default code on unexpected success).
template <typename T>
std::error_code error_of(const Result<T>& result) {
  EXPECT_FALSE(result.ok()) << "expected an error";
  return result.ok() ? std::error_code() : result.error().code();
}

class QueueTest : public ::testing::Test {
 protected:
  explicit QueueTest(uint16_t size = 16)
      : memory(make_memory()), driver(memory, GuestAddress(kRings), size), queue(make_queue(size)) {
    driver.configure(queue);
    EXPECT_TRUE(queue.validate(memory).ok());
  }

  // Pops the next chain, which must exist.
  DescriptorChain pop_chain() {
    auto popped = queue.pop(memory);
    EXPECT_TRUE(popped.ok()) << popped.error().message();
    EXPECT_TRUE(popped.ok() && popped->has_value()) << "no chain available";
    if (!popped.ok() || !popped->has_value()) return DescriptorChain(queue.desc_table(), queue.size(), 0);
    return **popped;
  }
  // Pops the next chain and walks it completely.
  Result<ChainBuffers> pop_and_collect() { return pop_chain().collect(memory); }

  // A correct one-buffer request still goes through: pop, read, complete.
  void expect_queue_still_works() {
    std::vector<testing::Buffer> buffers{{kData + 0x800, 4, false}};
    uint16_t head = driver.add_chain(buffers);
    auto chain = pop_and_collect();
    ASSERT_TRUE(chain.ok()) << chain.error().message();
    EXPECT_EQ(chain->head, head);
    EXPECT_EQ(chain->readable_len, 4u);
    ASSERT_TRUE(queue.add_used(memory, head, 0).ok());
    EXPECT_EQ(driver.used_idx(), queue.next_used());
    EXPECT_EQ(driver.used(static_cast<uint16_t>(queue.next_used() - 1)).id, head);
  }

  GuestMemory memory;
  testing::MockQueue driver;
  Queue queue;
};

}  // namespace vmm::virtio
