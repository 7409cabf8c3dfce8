// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <vector>

namespace vmm::kvm_detail {

// A heap buffer for a KVM struct that ends in a flexible array (kvm_cpuid2,
// kvm_msrs, kvm_msr_list, kvm_irq_routing): the Header (from kvm_abi.hpp,
// in the kernel's C layout) followed by room for `capacity` entries, which
// start right after the header as in C.
template <typename Header, typename Entry>
class FlexBuffer {
 public:
  explicit FlexBuffer(size_t capacity)
      : storage_((sizeof(Header) + capacity * sizeof(Entry) + sizeof(uint64_t) - 1) / sizeof(uint64_t)),
        capacity_(capacity) {
    static_assert(alignof(Header) <= alignof(uint64_t) && alignof(Entry) <= alignof(uint64_t));
    static_assert(sizeof(Header) % alignof(Entry) == 0);
    ::new (storage_.data()) Header{};
  }

  [[nodiscard]] Header* header() { return std::launder(reinterpret_cast<Header*>(storage_.data())); }
  [[nodiscard]] std::span<Entry> entries() {
    auto* first = reinterpret_cast<std::byte*>(storage_.data()) + sizeof(Header);
    return {reinterpret_cast<Entry*>(first), capacity_};
  }
  [[nodiscard]] size_t capacity() const { return capacity_; }

 private:
  std::vector<uint64_t> storage_;  // zeroed, 8-byte aligned
  size_t capacity_;
};

}  // namespace vmm::kvm_detail
