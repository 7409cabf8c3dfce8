// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/descriptor.hpp>

namespace vmm::virtio::blk {

// A raw disk image: whole 512-byte sectors, read and written at byte
// offsets the caller has checked against size(). Buffers are guest buffers
// (descriptor lists); with direct I/O they go through an aligned bounce
// buffer, because O_DIRECT needs aligned memory and guest buffers need not be.
class BlockImage {
 public:
  static Result<std::unique_ptr<BlockImage>> open(const std::string& path, bool read_only, bool direct_io);

  [[nodiscard]] uint64_t size() const { return size_; }
  [[nodiscard]] bool read_only() const { return read_only_; }
  [[nodiscard]] dev_t device() const { return device_; }
  [[nodiscard]] ino_t inode() const { return inode_; }

  // File bytes [offset, offset + total length of `into`) into the buffers, in order.
  Result<void> read(GuestMemory& memory, std::span<const Descriptor> into, uint64_t offset);
  // The buffers, in order, to the file from `offset`.
  Result<void> write(const GuestMemory& memory, std::span<const Descriptor> from, uint64_t offset);
  Result<void> flush() const;
  // Deallocates the range if the file system can (a hint: success either way).
  Result<void> discard(uint64_t offset, uint64_t len) const;
  // Makes the range read as zeroes: a hole when `unmap`, else zeroed blocks;
  // writes zeroes when the file system cannot do either.
  Result<void> write_zeroes(uint64_t offset, uint64_t len, bool unmap);

 private:
  static constexpr size_t kBounceSize = 64 * 1024;
  static constexpr size_t kBounceAlign = 4096;  // satisfies O_DIRECT on 512e and 4Kn disks
  struct FreeDeleter {
    void operator()(uint8_t* p) const { std::free(p); }
  };

  BlockImage(Fd fd, uint64_t size, bool read_only, bool direct_io, dev_t device, ino_t inode,
             std::unique_ptr<uint8_t, FreeDeleter> bounce)
      : fd_(std::move(fd)),
        size_(size),
        read_only_(read_only),
        direct_io_(direct_io),
        device_(device),
        inode_(inode),
        bounce_(std::move(bounce)) {}
  Result<void> read_bounced(GuestMemory& memory, std::span<const Descriptor> into, uint64_t offset);
  Result<void> write_bounced(const GuestMemory& memory, std::span<const Descriptor> from, uint64_t offset);
  Result<void> write_zero_blocks(uint64_t offset, uint64_t len);

  Fd fd_;
  uint64_t size_;
  bool read_only_;
  bool direct_io_;
  dev_t device_;
  ino_t inode_;
  std::unique_ptr<uint8_t, FreeDeleter> bounce_;  // kBounceSize bytes, kBounceAlign-aligned
};

}  // namespace vmm::virtio::blk
