// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <set>

#include <vmm/allocator/error.hpp>
#include <vmm/base/result.hpp>

namespace vmm {

// Hands out interrupt numbers (GSIs) from the inclusive range [first, last],
// e.g. the IOAPIC pins left for virtio-mmio devices. allocate() returns the
// lowest free GSI, so freed numbers are reused and the order is predictable.
class VMM_API GsiAllocator {
 public:
  static Result<GsiAllocator> create(uint32_t first, uint32_t last);

  // The lowest free GSI (kExhausted when none is left).
  Result<uint32_t> allocate();
  // Claims a specific GSI (a legacy device's fixed IRQ): kOutOfRange or kInUse.
  Result<void> allocate_at(uint32_t gsi);
  // Returns a GSI to the pool; kNotAllocated if it was not allocated.
  Result<void> free(uint32_t gsi);

  [[nodiscard]] bool is_allocated(uint32_t gsi) const { return allocated_.contains(gsi); }
  [[nodiscard]] uint32_t first() const { return first_; }
  [[nodiscard]] uint32_t last() const { return last_; }

 private:
  GsiAllocator(uint32_t first, uint32_t last) : first_(first), last_(last) {}
  uint32_t first_;
  uint32_t last_;
  std::set<uint32_t> allocated_;
};

}  // namespace vmm
