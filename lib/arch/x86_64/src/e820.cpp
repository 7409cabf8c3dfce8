// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/e820.hpp>

#include <algorithm>
#include <string>

#include <vmm/arch/error.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/base/bytes.hpp>

namespace vmm::x86_64 {
namespace {

// Adds the RAM of [start, end) that is not in the reserved legacy area
// [kEbdaStart, 1 MiB): its low part and its high part.
void add_ram(std::vector<E820Entry>& map, uint64_t start, uint64_t end) {
  if (start < kEbdaStart) {
    uint64_t low_end = std::min(end, kEbdaStart);
    map.push_back({start, low_end - start, E820Type::kRam});
  }
  uint64_t high_start = std::max(start, kHighMemoryStart);
  if (end > high_start) map.push_back({high_start, end - high_start, E820Type::kRam});
}

// Sorts by address, merges touching entries of the same type and rejects
// overlaps (which only overlapping RAM regions can cause).
Result<void> sort_and_merge(std::vector<E820Entry>& map) {
  std::sort(map.begin(), map.end(), [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
  std::vector<E820Entry> merged;
  for (const E820Entry& entry : map) {
    if (!merged.empty()) {
      E820Entry& last = merged.back();
      uint64_t last_end = last.addr + last.size;
      if (entry.addr < last_end) {
        return Error(ArchErrc::kInvalidMemoryLayout, "e820: ranges overlap at " + std::to_string(entry.addr));
      }
      if (entry.addr == last_end && entry.type == last.type) {
        last.size += entry.size;
        continue;
      }
    }
    merged.push_back(entry);
  }
  map = std::move(merged);
  return ok();
}

}  // namespace

Result<std::vector<E820Entry>> build_e820(std::span<const RegionSpec> ram) {
  std::vector<E820Entry> map;
  for (const RegionSpec& region : ram) {
    auto end = checked_add(region.start.value(), region.size);
    if (!end || region.size == 0) {
      return Error(ArchErrc::kInvalidMemoryLayout, "e820: empty or wrapping RAM region");
    }
    add_ram(map, region.start.value(), *end);
  }
  map.push_back({kEbdaStart, kHighMemoryStart - kEbdaStart, E820Type::kReserved});
  map.push_back({kKvmIdentityMapStart, kKvmReservedSize, E820Type::kReserved});
  VMM_TRY(sort_and_merge(map));
  if (map.size() > kMaxE820Entries) {
    return Error(
        ArchErrc::kTooManyMemoryMapEntries,
        "e820: " + std::to_string(map.size()) + " entries, at most " + std::to_string(kMaxE820Entries));
  }
  return map;
}

Result<std::vector<E820Entry>> build_e820(const GuestMemory& memory) {
  std::vector<RegionSpec> ram;
  for (const GuestRegion& region : memory.regions()) ram.push_back({region.start(), region.size()});
  return build_e820(ram);
}

}  // namespace vmm::x86_64
