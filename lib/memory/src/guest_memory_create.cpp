// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Validating and mapping guest RAM: GuestMemory::create and GuestRegion's
// ownership of its mapping.
#include <linux/mman.h>  // MAP_HUGE_2MB
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include <vmm/base/bytes.hpp>
#include <vmm/memory/guest_memory.hpp>

#include <vmm/base/hex.hpp>

namespace vmm {
namespace {


constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kHugePageSize = 2 << 20;  // MAP_HUGE_2MB

Error invalid_region(const RegionSpec& spec, const std::string& why) {
  return Error(MemoryErrc::kInvalidRegion,
               "guest memory region at " + hex(spec.start.value()) + " size " + hex(spec.size) + ": " + why);
}

Result<void> check_region(const RegionSpec& spec, uint64_t alignment) {
  if (spec.size == 0) return invalid_region(spec, "size is zero");
  if (spec.start.value() % alignment != 0 || spec.size % alignment != 0)
    return invalid_region(spec, "start and size must be multiples of " + hex(alignment));
  // end() must be representable: a region may not wrap past 2^64.
  if (!spec.start.checked_add(spec.size))
    return invalid_region(spec, "wraps past the top of the address space");
  return ok();
}

// Sorted copy of the specs, each valid and none overlapping another.
Result<std::vector<RegionSpec>> validated(std::span<const RegionSpec> specs, uint64_t alignment) {
  if (specs.empty()) return Error(MemoryErrc::kInvalidRegion, "guest memory needs at least one region");
  std::vector<RegionSpec> sorted(specs.begin(), specs.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const RegionSpec& a, const RegionSpec& b) { return a.start < b.start; });
  for (size_t i = 0; i < sorted.size(); ++i) {
    VMM_TRY(check_region(sorted[i], alignment));
    if (i > 0 && sorted[i].start < sorted[i - 1].start.unchecked_add(sorted[i - 1].size))
      return invalid_region(sorted[i], "overlaps the region at " + hex(sorted[i - 1].start.value()));
  }
  return sorted;
}

Error map_error(const RegionSpec& spec, const MemoryOptions& options, int err) {
  std::string what = "mmap of " + std::to_string(spec.size >> 20) + " MiB of guest RAM at " +
                     hex(spec.start.value()) + " failed: " + std::strerror(err);
  if (options.hugepages)
    what += " (reserve at least " + std::to_string(spec.size / kHugePageSize) +
            " 2 MiB huge pages first, e.g. sysctl vm.nr_hugepages=N, or run without huge pages)";
  return Error(MemoryErrc::kMapFailed, what);
}

Result<uint8_t*> map_region(const RegionSpec& spec, const MemoryOptions& options) {
  int flags = MAP_PRIVATE | MAP_ANONYMOUS;
  // Huge pages are reserved at mmap time unless MAP_NORESERVE is given; with
  // it a missing page would be a SIGBUS on first touch instead of a clean
  // error here (Documentation/admin-guide/mm/hugetlbpage.rst).
  flags |= options.hugepages ? MAP_HUGETLB | MAP_HUGE_2MB : MAP_NORESERVE;
  void* host = ::mmap(nullptr, spec.size, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (host == MAP_FAILED) return map_error(spec, options, errno);
  // Guest RAM in a core dump of the VMM is large and holds guest secrets.
  // Best effort: a kernel without MADV_DONTDUMP still runs the guest.
  (void)::madvise(host, spec.size, MADV_DONTDUMP);
  return static_cast<uint8_t*>(host);
}

}  // namespace

GuestRegion::GuestRegion(GuestRegion&& other) noexcept
    : start_(other.start_),
      size_(std::exchange(other.size_, 0)),
      host_(std::exchange(other.host_, nullptr)) {}

GuestRegion& GuestRegion::operator=(GuestRegion&& other) noexcept {
  if (this != &other) {
    if (host_ != nullptr) ::munmap(host_, size_);
    start_ = other.start_;
    size_ = std::exchange(other.size_, 0);
    host_ = std::exchange(other.host_, nullptr);
  }
  return *this;
}

GuestRegion::~GuestRegion() {
  if (host_ != nullptr) ::munmap(host_, size_);
}

Result<GuestMemory> GuestMemory::create(std::span<const RegionSpec> specs, MemoryOptions options) {
  VMM_TRY_ASSIGN(auto sorted, validated(specs, options.hugepages ? kHugePageSize : kPageSize));
  std::vector<GuestRegion> regions;
  regions.reserve(sorted.size());
  for (const RegionSpec& spec : sorted) {
    VMM_TRY_ASSIGN(uint8_t * host, map_region(spec, options));
    regions.push_back(GuestRegion(spec.start, spec.size, host));
  }
  return GuestMemory(std::move(regions));
}

}  // namespace vmm
