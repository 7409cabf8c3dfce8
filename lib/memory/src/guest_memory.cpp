// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Bounds-checked access to guest RAM. Every access checks the whole range
// first, so a failing access changes nothing (except read_from_fd and
// write_to_fd, which may have copied part of the data when the I/O itself fails).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

#include <vmm/base/bytes.hpp>
#include <vmm/memory/guest_memory.hpp>

#include <vmm/base/hex.hpp>

namespace vmm {


uint64_t GuestMemory::total_size() const {
  uint64_t total = 0;
  for (const GuestRegion& region : regions_) total += region.size();
  return total;
}

GuestAddress GuestMemory::end() const { return regions_.empty() ? GuestAddress(0) : regions_.back().end(); }

size_t GuestMemory::region_index(GuestAddress addr) const {
  // Regions are sorted by start: the candidate is the last one starting at or below addr.
  auto after = std::upper_bound(regions_.begin(), regions_.end(), addr,
                                [](GuestAddress a, const GuestRegion& region) { return a < region.start(); });
  if (after == regions_.begin()) return regions_.size();
  size_t index = static_cast<size_t>(after - regions_.begin()) - 1;
  return regions_[index].contains(addr) ? index : regions_.size();
}

std::optional<GuestAddress> GuestMemory::first_gap(GuestAddress addr, uint64_t len) const {
  size_t index = region_index(addr);
  if (len == 0) {
    if (index < regions_.size()) return std::nullopt;
    bool at_end =
        std::any_of(regions_.begin(), regions_.end(), [&](const GuestRegion& r) { return r.end() == addr; });
    return at_end ? std::nullopt : std::optional(addr);
  }
  if (index == regions_.size()) return addr;
  GuestAddress cur = addr;
  uint64_t remaining = len;
  for (;;) {
    const GuestRegion& region = regions_[index];
    uint64_t available = region.end().offset_from(cur);
    if (remaining <= available) return std::nullopt;
    remaining -= available;
    cur = region.end();
    // The range continues only into a region that touches this one.
    if (++index == regions_.size() || regions_[index].start() != cur) return cur;
  }
}

bool GuestMemory::contains_range(GuestAddress addr, uint64_t len) const { return !first_gap(addr, len); }

Result<void> GuestMemory::check_range(GuestAddress addr, uint64_t len) const {
  std::optional<GuestAddress> gap = first_gap(addr, len);
  if (!gap) return ok();
  return Error(MemoryErrc::kOutOfBounds, "guest memory access of " + std::to_string(len) + " bytes at " +
                                             hex(addr.value()) + ": guest address " + hex(gap->value()) +
                                             " is not RAM");
}

GuestMemory::Piece GuestMemory::piece_at(GuestAddress addr, uint64_t len) const {
  const GuestRegion& region = regions_[region_index(addr)];
  uint64_t offset = addr.offset_from(region.start());
  return Piece{region.host_ + offset, std::min(len, region.size() - offset)};
}

Result<void> GuestMemory::read(GuestAddress addr, std::span<uint8_t> out) const {
  VMM_TRY(check_range(addr, out.size()));
  for (uint64_t done = 0; done < out.size();) {
    Piece piece = piece_at(addr.unchecked_add(done), out.size() - done);
    std::memcpy(out.data() + done, piece.host, piece.len);
    done += piece.len;
  }
  return ok();
}

Result<void> GuestMemory::write(GuestAddress addr, std::span<const uint8_t> data) {
  VMM_TRY(check_range(addr, data.size()));
  for (uint64_t done = 0; done < data.size();) {
    Piece piece = piece_at(addr.unchecked_add(done), data.size() - done);
    std::memcpy(piece.host, data.data() + done, piece.len);
    done += piece.len;
  }
  return ok();
}

Result<void> GuestMemory::fill_zero(GuestAddress addr, uint64_t len) {
  VMM_TRY(check_range(addr, len));
  for (uint64_t done = 0; done < len;) {
    Piece piece = piece_at(addr.unchecked_add(done), len - done);
    std::memset(piece.host, 0, piece.len);
    done += piece.len;
  }
  return ok();
}

namespace {

// off_t is signed: the end of the file range must be representable.
bool file_range_fits(uint64_t file_offset, uint64_t len) {
  std::optional<uint64_t> end = checked_add(file_offset, len);
  return end && *end <= static_cast<uint64_t>(std::numeric_limits<off_t>::max());
}

// pread(2) of exactly len bytes, retrying on EINTR and short reads.
Result<void> pread_exact(int fd, uint8_t* host, uint64_t len, uint64_t file_offset) {
  constexpr uint64_t kMaxChunk = 1 << 30;  // well below SSIZE_MAX and Linux's MAX_RW_COUNT
  while (len > 0) {
    ssize_t n = ::pread(fd, host, std::min(len, kMaxChunk), static_cast<off_t>(file_offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      return Error::from_errno(err, "read at file offset " + std::to_string(file_offset));
    }
    if (n == 0)
      return Error(MemoryErrc::kShortRead, "file ends at offset " + std::to_string(file_offset) + ", " +
                                               std::to_string(len) + " bytes short");
    host += n;
    len -= static_cast<uint64_t>(n);
    file_offset += static_cast<uint64_t>(n);
  }
  return ok();
}

// pwrite(2) of exactly len bytes, retrying on EINTR and short writes.
Result<void> pwrite_exact(int fd, const uint8_t* host, uint64_t len, uint64_t file_offset) {
  constexpr uint64_t kMaxChunk = 1 << 30;
  while (len > 0) {
    ssize_t n = ::pwrite(fd, host, std::min(len, kMaxChunk), static_cast<off_t>(file_offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      return Error::from_errno(err, "write at file offset " + std::to_string(file_offset));
    }
    if (n == 0) return Error::from_errno(EIO, "write at file offset " + std::to_string(file_offset));
    host += n;
    len -= static_cast<uint64_t>(n);
    file_offset += static_cast<uint64_t>(n);
  }
  return ok();
}

}  // namespace

Result<void> GuestMemory::fd_transfer(GuestAddress addr, int fd, uint64_t file_offset, uint64_t len,
                                      FdIo io) const {
  if (!file_range_fits(file_offset, len))
    return Error(MemoryErrc::kOutOfBounds, "file range of " + std::to_string(len) + " bytes at offset " +
                                               std::to_string(file_offset) + " overflows");
  VMM_TRY(check_range(addr, len));
  for (uint64_t done = 0; done < len;) {
    Piece piece = piece_at(addr.unchecked_add(done), len - done);
    VMM_TRY(io(fd, piece.host, piece.len, file_offset + done));
    done += piece.len;
  }
  return ok();
}

Result<void> GuestMemory::read_from_fd(GuestAddress addr, int fd, uint64_t file_offset, uint64_t len) {
  return fd_transfer(addr, fd, file_offset, len, pread_exact);
}

Result<void> GuestMemory::write_to_fd(GuestAddress addr, int fd, uint64_t file_offset, uint64_t len) const {
  return fd_transfer(addr, fd, file_offset, len, [](int f, uint8_t* host, uint64_t n, uint64_t offset) {
    return pwrite_exact(f, host, n, offset);
  });
}

}  // namespace vmm
