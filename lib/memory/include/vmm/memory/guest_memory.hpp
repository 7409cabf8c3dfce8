// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include <vmm/base/result.hpp>
#include <vmm/memory/guest_address.hpp>
#include <vmm/memory/error.hpp>

namespace vmm {

// The description of one region before it is mapped.
struct RegionSpec {
  GuestAddress start;
  uint64_t size = 0;  // bytes, a multiple of the page size
};

struct MemoryOptions {
  bool hugepages = false;  // MAP_HUGETLB (2 MiB pages); fails cleanly if none are reserved
};

// x86-64 PC layout: RAM from 0 up to the 32-bit MMIO hole, the rest from 4 GiB.
// The hole [kMmioHoleStart, 4 GiB) holds the IOAPIC, LAPIC and device windows.
inline constexpr uint64_t kMmioHoleStart = 0xC000'0000;  // 3 GiB
inline constexpr uint64_t kMmioHoleEnd = 0x1'0000'0000;  // 4 GiB
// Regions for `size` bytes of RAM: one region when it fits below the hole,
// otherwise [0, hole) and [4 GiB, 4 GiB + rest).
[[nodiscard]] VMM_API std::vector<RegionSpec> x86_64_memory_layout(uint64_t size);

// One mapped region. The host mapping never leaves this component except as
// the integer KVM needs for KVM_SET_USER_MEMORY_REGION.
class VMM_API GuestRegion {
 public:
  GuestRegion(GuestRegion&&) noexcept;
  GuestRegion& operator=(GuestRegion&&) noexcept;
  GuestRegion(const GuestRegion&) = delete;
  GuestRegion& operator=(const GuestRegion&) = delete;
  ~GuestRegion();

  [[nodiscard]] GuestAddress start() const { return start_; }
  [[nodiscard]] uint64_t size() const { return size_; }
  [[nodiscard]] GuestAddress end() const { return start_.unchecked_add(size_); }  // exclusive
  [[nodiscard]] bool contains(GuestAddress addr) const {
    return addr >= start_ && addr.value() - start_.value() < size_;
  }
  // For KVM_SET_USER_MEMORY_REGION only.
  [[nodiscard]] uint64_t host_address() const { return reinterpret_cast<uint64_t>(host_); }

 private:
  friend class GuestMemory;
  GuestRegion(GuestAddress start, uint64_t size, uint8_t* host) : start_(start), size_(size), host_(host) {}
  GuestAddress start_;
  uint64_t size_ = 0;
  uint8_t* host_ = nullptr;
};

// Guest RAM: a sorted set of non-overlapping regions of anonymous,
// MAP_NORESERVE memory. Every access is bounds- and overflow-checked; an
// access crossing into a gap or past the end is an error (never a silent
// short copy). Accesses may span adjacent regions only if they touch.
class VMM_API GuestMemory {
 public:
  static Result<GuestMemory> create(std::span<const RegionSpec> regions, MemoryOptions options = {});

  GuestMemory(GuestMemory&&) noexcept = default;
  GuestMemory& operator=(GuestMemory&&) noexcept = default;

  [[nodiscard]] std::span<const GuestRegion> regions() const { return regions_; }
  [[nodiscard]] uint64_t total_size() const;
  // One past the highest guest address backed by RAM.
  [[nodiscard]] GuestAddress end() const;
  // True if [addr, addr + len) is entirely RAM (len 0: addr inside or at end of a region).
  [[nodiscard]] bool contains_range(GuestAddress addr, uint64_t len) const;

  Result<void> read(GuestAddress addr, std::span<uint8_t> out) const;
  Result<void> write(GuestAddress addr, std::span<const uint8_t> data);
  // Fills [addr, addr + len) with zeroes.
  Result<void> fill_zero(GuestAddress addr, uint64_t len);

  template <typename T>
    requires std::is_trivially_copyable_v<T>
  Result<T> read_obj(GuestAddress addr) const {
    T value;
    VMM_TRY(read(addr, std::span(reinterpret_cast<uint8_t*>(&value), sizeof(T))));
    return value;
  }
  template <typename T>
    requires std::is_trivially_copyable_v<T>
  Result<void> write_obj(GuestAddress addr, const T& value) {
    return write(addr, std::span(reinterpret_cast<const uint8_t*>(&value), sizeof(T)));
  }

  // Copies `len` bytes from a file descriptor at `file_offset` into guest
  // memory (used by loaders to avoid an intermediate buffer).
  Result<void> read_from_fd(GuestAddress addr, int fd, uint64_t file_offset, uint64_t len);
  // The mirror of read_from_fd: writes `len` bytes of guest memory at `addr`
  // to a file descriptor at `file_offset` (virtio-blk writes without a copy).
  Result<void> write_to_fd(GuestAddress addr, int fd, uint64_t file_offset, uint64_t len) const;

 private:
  // A contiguous host piece of a guest range (never leaves this class).
  struct Piece {
    uint8_t* host;
    uint64_t len;
  };

  explicit GuestMemory(std::vector<GuestRegion> regions) : regions_(std::move(regions)) {}
  // Index of the region holding addr, or regions_.size() if none does.
  [[nodiscard]] size_t region_index(GuestAddress addr) const;
  // The first address of [addr, addr + len) that is not RAM, or nullopt.
  [[nodiscard]] std::optional<GuestAddress> first_gap(GuestAddress addr, uint64_t len) const;
  // first_gap as an error naming the access and the address (kOutOfBounds).
  Result<void> check_range(GuestAddress addr, uint64_t len) const;
  // The host piece at addr, at most len bytes; addr must be RAM (checked before).
  [[nodiscard]] Piece piece_at(GuestAddress addr, uint64_t len) const;
  // read_from_fd / write_to_fd: checks both ranges, then runs `io` once per
  // contiguous host piece of [addr, addr + len).
  using FdIo = Result<void> (*)(int fd, uint8_t* host, uint64_t len, uint64_t file_offset);
  Result<void> fd_transfer(GuestAddress addr, int fd, uint64_t file_offset, uint64_t len, FdIo io) const;

  std::vector<GuestRegion> regions_;
};

// Per-page dirty bitmap of one region, as returned by KVM_GET_DIRTY_LOG
// (bit n set = page n of the region was written since the last fetch).
struct DirtyBitmap {
  GuestAddress region_start;
  uint64_t page_size = 4096;
  std::vector<uint64_t> bits;
  [[nodiscard]] bool is_dirty(uint64_t page) const {
    return page / 64 < bits.size() && ((bits[page / 64] >> (page % 64)) & 1) != 0;
  }
  [[nodiscard]] uint64_t dirty_pages() const;
};

}  // namespace vmm
