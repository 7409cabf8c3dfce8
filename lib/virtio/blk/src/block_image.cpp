// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "block_image.hpp"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <vmm/virtio/block_error.hpp>
#include <vmm/virtio/block_spec.hpp>
#include <vmm/virtio/chain_io.hpp>

namespace vmm::virtio::blk {
namespace {

// pread/pwrite of exactly len bytes, retrying on EINTR and short transfers.
// The caller checked the range against the image size: hitting the end of
// the file means it shrank under us, an I/O error.
Result<void> pread_all(int fd, uint8_t* buf, size_t len, uint64_t offset) {
  while (len > 0) {
    ssize_t n = ::pread(fd, buf, len, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("read at image offset " + std::to_string(offset));
    if (n == 0) return Error::from_errno(EIO, "image ends before offset " + std::to_string(offset));
    buf += n;
    len -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return ok();
}

Result<void> pwrite_all(int fd, const uint8_t* buf, size_t len, uint64_t offset) {
  while (len > 0) {
    ssize_t n = ::pwrite(fd, buf, len, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("write at image offset " + std::to_string(offset));
    if (n == 0) return Error::from_errno(EIO, "write at image offset " + std::to_string(offset));
    buf += n;
    len -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return ok();
}

uint64_t total_length(std::span<const Descriptor> buffers) {
  uint64_t total = 0;
  for (const Descriptor& d : buffers) total += d.len;
  return total;
}

}  // namespace

Result<std::unique_ptr<BlockImage>> BlockImage::open(const std::string& path, bool read_only,
                                                     bool direct_io) {
  int flags = (read_only ? O_RDONLY : O_RDWR) | (direct_io ? O_DIRECT : 0);
  auto opened = Fd::open(path.c_str(), flags);
  if (!opened && direct_io && opened.error().code() == std::errc::invalid_argument)
    return Error(BlockErrc::kDirectIoUnsupported, path);
  VMM_TRY_ASSIGN(Fd fd, std::move(opened));
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return Error::from_errno("stat " + path);
  // SEEK_END gives the size of regular files and block devices alike.
  off_t end = ::lseek(fd.get(), 0, SEEK_END);
  if (end < 0) return Error::from_errno("size of " + path);
  auto size = static_cast<uint64_t>(end);
  if (size == 0) return Error(BlockErrc::kEmptyImage, path);
  if (size % kSectorSize != 0)
    return Error(BlockErrc::kUnalignedImageSize, path + " has " + std::to_string(size) + " bytes");
  auto* bounce = static_cast<uint8_t*>(std::aligned_alloc(kBounceAlign, kBounceSize));
  if (bounce == nullptr) return Error::from_errno(ENOMEM, "bounce buffer for " + path);
  return std::unique_ptr<BlockImage>(new BlockImage(std::move(fd), size, read_only, direct_io, st.st_dev,
                                                    st.st_ino,
                                                    std::unique_ptr<uint8_t, FreeDeleter>(bounce)));
}

Result<void> BlockImage::read(GuestMemory& memory, std::span<const Descriptor> into, uint64_t offset) {
  if (direct_io_) return read_bounced(memory, into, offset);
  // Straight from the file into guest RAM, one pread per buffer.
  for (const Descriptor& d : into) {
    VMM_TRY(memory.read_from_fd(d.addr, fd_.get(), offset, d.len));
    offset += d.len;
  }
  return ok();
}

Result<void> BlockImage::write(const GuestMemory& memory, std::span<const Descriptor> from, uint64_t offset) {
  if (direct_io_) return write_bounced(memory, from, offset);
  for (const Descriptor& d : from) {
    VMM_TRY(memory.write_to_fd(d.addr, fd_.get(), offset, d.len));
    offset += d.len;
  }
  return ok();
}

// The total is a multiple of 512 (checked by the request), so is every chunk.
Result<void> BlockImage::read_bounced(GuestMemory& memory, std::span<const Descriptor> into,
                                      uint64_t offset) {
  ChainWriter writer(memory, into);
  uint64_t len = total_length(into);
  for (uint64_t done = 0; done < len;) {
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(kBounceSize, len - done));
    VMM_TRY(pread_all(fd_.get(), bounce_.get(), chunk, offset + done));
    VMM_TRY(writer.write(std::span<const uint8_t>(bounce_.get(), chunk)));
    done += chunk;
  }
  return ok();
}

Result<void> BlockImage::write_bounced(const GuestMemory& memory, std::span<const Descriptor> from,
                                       uint64_t offset) {
  ChainReader reader(memory, from);
  uint64_t len = total_length(from);
  for (uint64_t done = 0; done < len;) {
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(kBounceSize, len - done));
    VMM_TRY(reader.read(std::span<uint8_t>(bounce_.get(), chunk)));
    VMM_TRY(pwrite_all(fd_.get(), bounce_.get(), chunk, offset + done));
    done += chunk;
  }
  return ok();
}

Result<void> BlockImage::flush() const {
  if (::fdatasync(fd_.get()) < 0) return Error::from_errno("fdatasync");
  return ok();
}

Result<void> BlockImage::discard(uint64_t offset, uint64_t len) const {
  if (len == 0) return ok();
  if (::fallocate(fd_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                  static_cast<off_t>(len)) == 0)
    return ok();
  // §5.2.6.2: the device MAY deallocate; not being able to is not an error.
  if (errno == EOPNOTSUPP) return ok();
  return Error::from_errno("discard (punch hole) at image offset " + std::to_string(offset));
}

Result<void> BlockImage::write_zeroes(uint64_t offset, uint64_t len, bool unmap) {
  if (len == 0) return ok();
  int mode = unmap ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE : FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
  if (::fallocate(fd_.get(), mode, static_cast<off_t>(offset), static_cast<off_t>(len)) == 0) return ok();
  if (errno != EOPNOTSUPP && errno != EINVAL)
    return Error::from_errno("write zeroes (fallocate) at image offset " + std::to_string(offset));
  return write_zero_blocks(offset, len);
}

// The fallback: len is bounded by the device's max_write_zeroes_sectors.
Result<void> BlockImage::write_zero_blocks(uint64_t offset, uint64_t len) {
  std::memset(bounce_.get(), 0, kBounceSize);
  for (uint64_t done = 0; done < len;) {
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(kBounceSize, len - done));
    VMM_TRY(pwrite_all(fd_.get(), bounce_.get(), chunk, offset + done));
    done += chunk;
  }
  return ok();
}

}  // namespace vmm::virtio::blk
