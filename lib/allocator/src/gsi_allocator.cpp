// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/allocator/gsi_allocator.hpp>

#include <string>

namespace vmm {
namespace {

std::string pool(uint32_t first, uint32_t last) {
  return "[" + std::to_string(first) + ", " + std::to_string(last) + "]";
}

}  // namespace

Result<GsiAllocator> GsiAllocator::create(uint32_t first, uint32_t last) {
  if (first > last) return Error(AllocatorErrc::kInvalidRange, "GSI pool " + pool(first, last) + " is empty");
  return GsiAllocator(first, last);
}

Result<uint32_t> GsiAllocator::allocate() {
  // The set is sorted: the first hole in first, first+1, ... is the lowest free GSI.
  uint64_t candidate = first_;  // 64-bit so last_ == UINT32_MAX cannot wrap
  for (uint32_t used : allocated_) {
    if (used != candidate) break;
    ++candidate;
  }
  if (candidate > last_) return Error(AllocatorErrc::kExhausted, "no free GSI in " + pool(first_, last_));
  allocated_.insert(static_cast<uint32_t>(candidate));
  return static_cast<uint32_t>(candidate);
}

Result<void> GsiAllocator::allocate_at(uint32_t gsi) {
  if (gsi < first_ || gsi > last_)
    return Error(AllocatorErrc::kOutOfRange,
                 "GSI " + std::to_string(gsi) + " is outside " + pool(first_, last_));
  if (!allocated_.insert(gsi).second)
    return Error(AllocatorErrc::kInUse, "GSI " + std::to_string(gsi) + " is already allocated");
  return ok();
}

Result<void> GsiAllocator::free(uint32_t gsi) {
  if (allocated_.erase(gsi) == 0)
    return Error(AllocatorErrc::kNotAllocated, "GSI " + std::to_string(gsi) + " was not allocated");
  return ok();
}

}  // namespace vmm
