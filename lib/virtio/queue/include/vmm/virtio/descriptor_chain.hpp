// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/descriptor.hpp>
#include <vmm/virtio/error.hpp>

namespace vmm::virtio {

// The buffers of one chain, device-readable first, then device-writable
// (the order §2.7.5.2 requires of the driver).
struct ChainBuffers {
  uint16_t head = 0;
  std::vector<Descriptor> readable;
  std::vector<Descriptor> writable;
  uint32_t readable_len = 0;
  uint32_t writable_len = 0;
};

// Walks the descriptor chain that starts at `head` (VIRTIO 1.2 §2.7.5), one
// descriptor per next(). Everything the driver controls is bounded:
//  - at most `queue_size` hops in the descriptor table, and at most as many
//    hops as an indirect table has entries (a loop ends as kChainTooLong);
//  - every `next` must be inside its table;
//  - one level of indirection, only as the last descriptor of the chain
//    (§2.7.5.3.1, §2.7.5.3.2), with a table of 16-byte entries, no more of
//    them than the queue size, inside guest RAM;
//  - addr + len must stay below 2^64 and the total length must fit in 32 bits.
// Buffers themselves are not checked against guest RAM here: the device's
// accesses through GuestMemory check them, so there is no check-then-use.
// After an error the chain is finished; the device completes the head with
// an error status (or resets the device).
class VMM_API DescriptorChain {
 public:
  // The chain at `head` of the descriptor table at `desc_table` of a queue
  // with `queue_size` entries. head < queue_size is checked by the first next().
  DescriptorChain(GuestAddress desc_table, uint16_t queue_size, uint16_t head);

  [[nodiscard]] uint16_t head() const { return head_; }
  // Sum of the lengths returned so far.
  [[nodiscard]] uint32_t total_len() const { return static_cast<uint32_t>(total_len_); }

  // The next descriptor, nullopt at the end of the chain, or an error.
  Result<std::optional<Descriptor>> next(const GuestMemory& memory);
  // Walks the rest of the chain and splits it into readable and writable parts.
  Result<ChainBuffers> collect(const GuestMemory& memory);

 private:
  Result<void> enter_indirect(const GuestMemory& memory, uint64_t addr, uint32_t len);
  Error fail(QueueErrc code, const std::string& what);

  GuestAddress table_;
  uint32_t table_entries_;  // entries of the current table
  uint16_t queue_size_;
  uint16_t head_;
  uint32_t index_;      // next entry to read in the current table
  uint32_t hops_left_;  // entries that may still be read from the current table
  uint64_t total_len_ = 0;
  bool indirect_ = false;
  bool done_ = false;
};

}  // namespace vmm::virtio
