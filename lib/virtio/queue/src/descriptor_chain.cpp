// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Bounded walk of a split-virtqueue descriptor chain (VIRTIO 1.2 §2.7.5).
#include <limits>
#include <string>

#include <vmm/base/bytes.hpp>
#include <vmm/base/hex.hpp>
#include <vmm/virtio/descriptor_chain.hpp>

#include "ring.hpp"

namespace vmm::virtio {

DescriptorChain::DescriptorChain(GuestAddress desc_table, uint16_t queue_size, uint16_t head)
    : table_(desc_table),
      table_entries_(queue_size),
      queue_size_(queue_size),
      head_(head),
      index_(head),
      hops_left_(queue_size) {}

Error DescriptorChain::fail(QueueErrc code, const std::string& what) {
  done_ = true;
  return queue_error(code, "descriptor chain at head " + std::to_string(head_) + ": " + what);
}

// §2.7.5.3: an indirect descriptor's buffer is a table of len / 16 descriptors,
// walked from entry 0. §2.7.5.3.1: the driver sets INDIRECT only outside
// indirect tables, never with NEXT, and builds no chain longer than the queue
// size; we reject each violation instead of trusting it.
Result<void> DescriptorChain::enter_indirect(const GuestMemory& memory, uint64_t addr, uint32_t len) {
  if (indirect_) return fail(QueueErrc::kNestedIndirect, "indirect table inside an indirect table");
  if (len == 0 || len % kDescriptorSize != 0) {
    return fail(QueueErrc::kInvalidIndirectTable,
                "indirect table length " + std::to_string(len) + " is not a non-zero multiple of 16");
  }
  uint32_t entries = len / static_cast<uint32_t>(kDescriptorSize);
  if (entries > queue_size_) {
    return fail(QueueErrc::kInvalidIndirectTable, "indirect table has " + std::to_string(entries) +
                                                      " entries, more than the queue size " +
                                                      std::to_string(queue_size_));
  }
  if (!checked_add<uint64_t>(addr, len) || !memory.contains_range(GuestAddress(addr), len)) {
    return fail(QueueErrc::kInvalidIndirectTable, "indirect table at " + hex(addr) + " outside guest RAM");
  }
  table_ = GuestAddress(addr);
  table_entries_ = entries;
  index_ = 0;
  hops_left_ = entries;
  indirect_ = true;
  return ok();
}

Result<std::optional<Descriptor>> DescriptorChain::next(const GuestMemory& memory) {
  for (;;) {  // at most twice: once more after entering an indirect table
    if (done_) return std::optional<Descriptor>();
    if (index_ >= table_entries_) {
      return fail(
          QueueErrc::kInvalidDescriptorIndex,
          "index " + std::to_string(index_) + " outside a table of " + std::to_string(table_entries_));
    }
    if (hops_left_ == 0)
      return fail(QueueErrc::kChainTooLong, "more descriptors than table entries (a loop?)");
    --hops_left_;
    // index_ < table_entries_ <= 32768, so the offset cannot overflow; the read itself is checked.
    auto raw = memory.read_obj<RawDescriptor>(table_.unchecked_add(kDescriptorSize * index_));
    if (!raw) {
      done_ = true;
      return raw.error().with_context("descriptor chain at head " + std::to_string(head_));
    }
    if (raw->flags & kDescFIndirect) {
      if (raw->flags & kDescFNext) return fail(QueueErrc::kIndirectWithNext, "INDIRECT descriptor with NEXT");
      VMM_TRY(enter_indirect(memory, raw->addr, raw->len));
      continue;
    }
    if (!checked_add<uint64_t>(raw->addr, raw->len)) {
      return fail(QueueErrc::kDescriptorWraps, "buffer at " + hex(raw->addr) + " of " + hex(raw->len) +
                                                   " bytes runs past the end of the address space");
    }
    // The sum stays below 2^33 (it is checked at every step), so 64 bits cannot overflow.
    uint64_t total = total_len_ + raw->len;
    if (total > std::numeric_limits<uint32_t>::max()) {
      return fail(QueueErrc::kChainTooLarge, "buffers add up to more than 4 GiB - 1");
    }
    total_len_ = total;
    if (raw->flags & kDescFNext) {
      index_ = raw->next;  // checked against the table size by the next call
    } else {
      done_ = true;
    }
    return std::optional(Descriptor{GuestAddress(raw->addr), raw->len, (raw->flags & kDescFWrite) != 0});
  }
}

Result<ChainBuffers> DescriptorChain::collect(const GuestMemory& memory) {
  ChainBuffers buffers;
  buffers.head = head_;
  for (;;) {
    VMM_TRY_ASSIGN(std::optional<Descriptor> desc, next(memory));
    if (!desc) break;
    if (desc->writable) {
      buffers.writable.push_back(*desc);
      buffers.writable_len += desc->len;  // bounded by total_len_ <= UINT32_MAX
    } else if (!buffers.writable.empty()) {
      // §2.7.5.2: "The driver MUST place any device-writable descriptor elements
      // after any device-readable descriptor elements."
      return fail(QueueErrc::kReadableAfterWritable,
                  "readable buffer at " + hex(desc->addr.value()) + " after a writable one");
    } else {
      buffers.readable.push_back(*desc);
      buffers.readable_len += desc->len;
    }
  }
  return buffers;
}

}  // namespace vmm::virtio
