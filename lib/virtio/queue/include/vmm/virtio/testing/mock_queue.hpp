// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/descriptor.hpp>
#include <vmm/virtio/queue.hpp>

// The driver side of a split virtqueue (VIRTIO 1.2 §2.7), laid out in a
// GuestMemory, for tests and fuzz targets of the queue and of every virtio
// device. Header-only test support: not part of libvmm.so. It writes what a
// driver would (descriptors, avail ring, used_event) and reads what the
// device returns (used ring, avail_event). A failing guest-memory access in
// the mock is a bug in the test, so it aborts with a message.
namespace vmm::virtio::testing {

// One buffer as a test describes it.
struct Buffer {
  uint64_t addr = 0;
  uint32_t len = 0;
  bool writable = false;
};

struct UsedElem {
  uint32_t id = 0;
  uint32_t len = 0;
};

class MockQueue {
 public:
  // Rings back to back from `base` (16-byte aligned): descriptor table, available ring, used ring.
  MockQueue(GuestMemory& memory, GuestAddress base, uint16_t size)
      : memory_(&memory),
        size_(size),
        desc_table_(base),
        avail_ring_(base.unchecked_add(desc_table_size(size))),
        used_ring_(GuestAddress((avail_ring_.value() + avail_ring_size(size) + 3) & ~uint64_t{3})) {
    must(memory.fill_zero(base, used_ring_.offset_from(base) + used_ring_size(size)), "zeroing the rings");
  }

  [[nodiscard]] uint16_t size() const { return size_; }
  [[nodiscard]] GuestAddress desc_table() const { return desc_table_; }
  [[nodiscard]] GuestAddress avail_ring() const { return avail_ring_; }
  [[nodiscard]] GuestAddress used_ring() const { return used_ring_; }
  // First address after the rings (a place for buffers and indirect tables).
  [[nodiscard]] GuestAddress end() const { return used_ring_.unchecked_add(used_ring_size(size_)); }

  // What the driver does through the transport: size, ring addresses, ready.
  void configure(Queue& queue, bool event_idx = false) const {
    queue.set_ready(false);
    queue.set_size(size_);
    queue.set_desc_table(desc_table_);
    queue.set_avail_ring(avail_ring_);
    queue.set_used_ring(used_ring_);
    queue.set_event_idx(event_idx);
    queue.set_ready(true);
  }

  // Writes entry `index` of the descriptor table at `table` (raw, for hostile tests).
  void write_descriptor(GuestAddress table, uint32_t index, const RawDescriptor& desc) {
    must(memory_->write_obj(table.unchecked_add(kDescriptorSize * index), desc), "writing a descriptor");
  }
  void write_descriptor(uint16_t index, const RawDescriptor& desc) {
    write_descriptor(desc_table_, index, desc);
  }

  // Adds a chain of direct descriptors in the next free table slots, publishes it, returns its head.
  uint16_t add_chain(std::span<const Buffer> buffers) {
    uint16_t head = next_free_;
    for (size_t i = 0; i < buffers.size(); ++i) {
      uint16_t index = next_free_;
      next_free_ = static_cast<uint16_t>((next_free_ + 1) % size_);
      bool last = i + 1 == buffers.size();
      write_descriptor(index, raw(buffers[i], last ? 0 : kDescFNext, last ? 0 : next_free_));
    }
    publish(head);
    return head;
  }
  // Adds a chain made of one INDIRECT descriptor whose table, written at
  // `table`, holds `buffers` (§2.7.5.3); publishes it and returns its head.
  uint16_t add_indirect_chain(GuestAddress table, std::span<const Buffer> buffers) {
    for (size_t i = 0; i < buffers.size(); ++i) {
      bool last = i + 1 == buffers.size();
      write_descriptor(table, static_cast<uint32_t>(i),
                       raw(buffers[i], last ? 0 : kDescFNext, last ? 0 : static_cast<uint16_t>(i + 1)));
    }
    uint16_t head = next_free_;
    next_free_ = static_cast<uint16_t>((next_free_ + 1) % size_);
    auto table_len = static_cast<uint32_t>(kDescriptorSize * buffers.size());
    write_descriptor(head, RawDescriptor{table.value(), table_len, kDescFIndirect, 0});
    publish(head);
    return head;
  }

  // Puts `head` in the next available slot and bumps avail.idx (§2.7.13).
  void publish(uint16_t head) {
    uint16_t idx = avail_idx();
    write16(avail_ring_.unchecked_add(kRingHeaderSize + 2ull * (idx % size_)), head);
    set_avail_idx(static_cast<uint16_t>(idx + 1));
  }
  [[nodiscard]] uint16_t avail_idx() const { return read16(avail_ring_.unchecked_add(2)); }
  void set_avail_idx(uint16_t idx) { write16(avail_ring_.unchecked_add(2), idx); }
  void set_avail_flags(uint16_t flags) { write16(avail_ring_, flags); }
  void set_used_event(uint16_t idx) {
    write16(avail_ring_.unchecked_add(kRingHeaderSize + 2ull * size_), idx);
  }
  // Where the next add_chain starts (tests of index wrap-around move it).
  void set_next_free(uint16_t index) { next_free_ = index; }

  [[nodiscard]] uint16_t used_idx() const { return read16(used_ring_.unchecked_add(2)); }
  [[nodiscard]] uint16_t used_flags() const { return read16(used_ring_); }
  [[nodiscard]] uint16_t avail_event() const {
    return read16(used_ring_.unchecked_add(kRingHeaderSize + kUsedElemSize * size_));
  }
  // The used element at free-running index `idx` (taken modulo the size).
  [[nodiscard]] UsedElem used(uint16_t idx) const {
    return must(memory_->read_obj<UsedElem>(
                    used_ring_.unchecked_add(kRingHeaderSize + kUsedElemSize * (idx % size_))),
                "reading a used element");
  }

 private:
  static RawDescriptor raw(const Buffer& b, uint16_t flags, uint16_t next) {
    return RawDescriptor{b.addr, b.len, static_cast<uint16_t>(flags | (b.writable ? kDescFWrite : 0)), next};
  }
  [[nodiscard]] uint16_t read16(GuestAddress addr) const {
    return must(memory_->read_obj<uint16_t>(addr), "reading a ring field");
  }
  void write16(GuestAddress addr, uint16_t value) {
    must(memory_->write_obj(addr, value), "writing a ring field");
  }

  static void must(const Result<void>& result, const char* what) {
    if (result) return;
    std::fprintf(stderr, "MockQueue: %s: %s\n", what, result.error().message().c_str());
    std::abort();
  }
  template <typename T>
  static T must(Result<T> result, const char* what) {
    if (!result) {
      std::fprintf(stderr, "MockQueue: %s: %s\n", what, result.error().message().c_str());
      std::abort();
    }
    return std::move(result).value();
  }

  GuestMemory* memory_;
  uint16_t size_;
  GuestAddress desc_table_;
  GuestAddress avail_ring_;
  GuestAddress used_ring_;
  uint16_t next_free_ = 0;
};

}  // namespace vmm::virtio::testing
