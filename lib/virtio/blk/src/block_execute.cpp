// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Executing virtio-blk requests (VIRTIO 1.2 §5.2.6, device requirements in
// §5.2.6.2). Anything the guest got wrong is an error status for this
// request only; the device keeps serving.
#include <algorithm>

#include <vmm/base/bytes.hpp>
#include <vmm/virtio/block.hpp>
#include <vmm/virtio/chain_io.hpp>

#include "block_request.hpp"

namespace vmm::virtio::blk {
namespace {

constexpr Outcome kIoErr{Status::kIoErr, 0};

// The byte offset of [sector, sector + len bytes) if it lies inside the
// image; nullopt if it overflows or runs past the end.
std::optional<uint64_t> image_offset(const BlockImage& image, uint64_t sector, uint64_t len) {
  auto offset = checked_mul<uint64_t>(sector, kSectorSize);
  if (!offset) return std::nullopt;
  auto end = checked_add<uint64_t>(*offset, len);
  if (!end || *end > image.size()) return std::nullopt;
  return offset;
}

Outcome read_sectors(BlockImage& image, GuestMemory& memory, const ParsedRequest& r) {
  if (r.data_len % kSectorSize != 0) return kIoErr;
  auto offset = image_offset(image, r.sector, r.data_len);
  if (!offset || !image.read(memory, r.data, *offset)) return kIoErr;
  // data_len < 2^32: the chain's total length is checked by DescriptorChain.
  return {Status::kOk, static_cast<uint32_t>(r.data_len)};
}

Outcome write_sectors(BlockImage& image, const GuestMemory& memory, const ParsedRequest& r) {
  // §5.2.6.2: with VIRTIO_BLK_F_RO a write is IOERR, whatever the driver acked.
  if (image.read_only() || r.data_len % kSectorSize != 0) return kIoErr;
  auto offset = image_offset(image, r.sector, r.data_len);
  if (!offset || !image.write(memory, r.data, *offset)) return kIoErr;
  return {};
}

Outcome get_id(GuestMemory& memory, const ParsedRequest& r, std::span<const uint8_t, kIdBytes> id) {
  // As many of the 20 bytes as the driver's buffer holds (it normally gives 20).
  auto len = static_cast<size_t>(std::min<uint64_t>(r.data_len, kIdBytes));
  ChainWriter writer(memory, r.data);
  if (!writer.write(id.first(len))) return kIoErr;
  return {Status::kOk, writer.written()};
}

// DISCARD and WRITE_ZEROES: one 16-byte segment (max_*_seg = 1), §5.2.6.
Outcome zero_or_discard(BlockImage& image, const GuestMemory& memory, const ParsedRequest& r) {
  if (image.read_only() || r.data_len != kDiscardSegmentSize) return kIoErr;
  std::array<uint8_t, kDiscardSegmentSize> segment{};
  ChainReader reader(memory, r.data);
  if (!reader.read(segment)) return kIoErr;
  uint64_t sector = *load_le<uint64_t>(segment, 0);
  uint32_t sectors = *load_le<uint32_t>(segment, 8);
  uint32_t flags = *load_le<uint32_t>(segment, 12);
  bool discard = r.type == static_cast<uint32_t>(RequestType::kDiscard);
  // §5.2.6.2: unknown flags, and unmap on a discard, are UNSUPP.
  if ((flags & ~kDiscardFlagUnmap) != 0 || (discard && flags != 0)) return {Status::kUnsupp, 0};
  if (sectors > BlockDevice::kMaxZeroingSectors) return kIoErr;
  uint64_t len = uint64_t{sectors} * kSectorSize;
  auto offset = image_offset(image, sector, len);
  if (!offset) return kIoErr;
  auto done = discard ? image.discard(*offset, len) : image.write_zeroes(*offset, len, flags != 0);
  return done ? Outcome{} : kIoErr;
}

}  // namespace

Outcome execute_request(BlockImage& image, GuestMemory& memory, const ParsedRequest& request,
                        std::span<const uint8_t, kIdBytes> id) {
  switch (static_cast<RequestType>(request.type)) {
    case RequestType::kIn:
      return read_sectors(image, memory, request);
    case RequestType::kOut:
      return write_sectors(image, memory, request);
    case RequestType::kFlush:
      return image.flush() ? Outcome{} : kIoErr;
    case RequestType::kGetId:
      return get_id(memory, request, id);
    case RequestType::kDiscard:
    case RequestType::kWriteZeroes:
      return zero_or_discard(image, memory, request);
  }
  return {Status::kUnsupp, 0};
}

}  // namespace vmm::virtio::blk
