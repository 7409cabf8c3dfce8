// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <map>

#include <vmm/allocator/error.hpp>
#include <vmm/base/result.hpp>

namespace vmm {

// A range [start, start + size) handed out by an AddressAllocator. size is
// never zero; `last()` is the inclusive end, which exists even for a range
// touching the top of the 64-bit address space.
struct AddressRange {
  uint64_t start = 0;
  uint64_t size = 0;
  [[nodiscard]] constexpr uint64_t last() const { return start + (size - 1); }
  constexpr bool operator==(const AddressRange&) const = default;
};

// Allocates address ranges (guest MMIO windows, e.g. virtio-mmio slots) from
// the pool [base, base + size). All arithmetic is overflow-checked; zero
// sizes and alignments that are not powers of two are rejected.
class VMM_API AddressAllocator {
 public:
  // size > 0 and the pool must not wrap (base + size <= 2^64).
  static Result<AddressAllocator> create(uint64_t base, uint64_t size);

  // First fit: the lowest free range of `size` bytes whose start is a
  // multiple of `alignment` (a power of two; 1 = no constraint).
  Result<AddressRange> allocate(uint64_t size, uint64_t alignment = 1);
  // Exactly [address, address + size): kOutOfRange or kInUse if impossible.
  Result<AddressRange> allocate_at(uint64_t address, uint64_t size);
  // Releases a range previously returned (start and size must match).
  Result<void> free(const AddressRange& range);

  [[nodiscard]] uint64_t base() const { return base_; }
  // Inclusive end of the pool.
  [[nodiscard]] uint64_t last() const { return last_; }

 private:
  AddressAllocator(uint64_t base, uint64_t last) : base_(base), last_(last) {}
  uint64_t base_;
  uint64_t last_;
  std::map<uint64_t, uint64_t> allocated_;  // start -> inclusive last
};

}  // namespace vmm
