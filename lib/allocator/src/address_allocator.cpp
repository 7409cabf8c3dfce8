// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// First-fit address-range allocation. Ranges are kept as inclusive
// [start, last] so a pool may end at the top of the 64-bit space.
#include <vmm/allocator/address_allocator.hpp>

#include <bit>
#include <iterator>
#include <optional>
#include <string>

#include <vmm/base/bytes.hpp>

#include <vmm/base/hex.hpp>

namespace vmm {


namespace {

std::string describe(uint64_t start, uint64_t size) { return "[" + hex(start) + ", +" + hex(size) + ")"; }

// Inclusive last byte of [start, start + size); nullopt if it wraps. size > 0.
std::optional<uint64_t> last_byte(uint64_t start, uint64_t size) {
  return checked_add<uint64_t>(start, size - 1);
}

// The next multiple of `alignment` after the inclusive end `last`.
std::optional<uint64_t> aligned_after(uint64_t last, uint64_t alignment) {
  std::optional<uint64_t> next = checked_add<uint64_t>(last, 1);
  return next ? align_up(*next, alignment) : std::nullopt;
}

}  // namespace

Result<AddressAllocator> AddressAllocator::create(uint64_t base, uint64_t size) {
  if (size == 0)
    return Error(AllocatorErrc::kInvalidRange, "address pool at " + hex(base) + " has size zero");
  std::optional<uint64_t> last = last_byte(base, size);
  if (!last) return Error(AllocatorErrc::kInvalidRange, "address pool " + describe(base, size) + " wraps");
  return AddressAllocator(base, *last);
}

Result<AddressRange> AddressAllocator::allocate(uint64_t size, uint64_t alignment) {
  if (size == 0) return Error(AllocatorErrc::kInvalidRange, "cannot allocate zero bytes");
  if (!std::has_single_bit(alignment))
    return Error(AllocatorErrc::kInvalidRange, "alignment " + hex(alignment) + " is not a power of two");
  std::optional<uint64_t> candidate = align_up(base_, alignment);
  for (auto [start, last] : allocated_) {
    if (!candidate) break;
    if (last < *candidate) continue;  // entirely below the candidate
    std::optional<uint64_t> candidate_last = last_byte(*candidate, size);
    if (candidate_last && *candidate_last < start) break;  // fits in the hole before this range
    candidate = aligned_after(last, alignment);
  }
  std::optional<uint64_t> candidate_last = candidate ? last_byte(*candidate, size) : std::nullopt;
  if (!candidate_last || *candidate_last > last_)
    return Error(AllocatorErrc::kExhausted, "no free range of " + hex(size) + " bytes aligned to " +
                                                hex(alignment) + " in " + describe(base_, last_ - base_ + 1));
  allocated_.emplace(*candidate, *candidate_last);
  return AddressRange{*candidate, size};
}

Result<AddressRange> AddressAllocator::allocate_at(uint64_t address, uint64_t size) {
  if (size == 0) return Error(AllocatorErrc::kInvalidRange, "cannot allocate zero bytes at " + hex(address));
  std::optional<uint64_t> last = last_byte(address, size);
  if (address < base_ || !last || *last > last_)
    return Error(AllocatorErrc::kOutOfRange, "range " + describe(address, size) + " is outside the pool " +
                                                 describe(base_, last_ - base_ + 1));
  // Ranges are disjoint and sorted: only the last one starting at or before
  // *last can overlap, and it does if it reaches address.
  auto after = allocated_.upper_bound(*last);
  if (after != allocated_.begin() && std::prev(after)->second >= address)
    return Error(
        AllocatorErrc::kInUse,
        "range " + describe(address, size) + " overlaps the allocated range " +
            describe(std::prev(after)->first, std::prev(after)->second - std::prev(after)->first + 1));
  allocated_.emplace(address, *last);
  return AddressRange{address, size};
}

Result<void> AddressAllocator::free(const AddressRange& range) {
  auto it = allocated_.find(range.start);
  if (range.size == 0 || it == allocated_.end() || it->second != range.last())
    return Error(AllocatorErrc::kNotAllocated,
                 "range " + describe(range.start, range.size) + " was not allocated");
  allocated_.erase(it);
  return ok();
}

}  // namespace vmm
