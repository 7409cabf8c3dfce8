// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// struct virtio_vsock_hdr (VIRTIO 1.2 §5.10.6), packed, little endian.
#include <vmm/base/bytes.hpp>
#include <vmm/virtio/vsock_packet.hpp>

namespace vmm::virtio {
namespace {

// Field offsets in the packed header.
enum Offset : size_t {
  kSrcCid = 0,
  kDstCid = 8,
  kSrcPort = 16,
  kDstPort = 20,
  kLen = 24,
  kType = 28,
  kOp = 30,
  kFlags = 32,
  kBufAlloc = 36,
  kFwdCnt = 40,
};

}  // namespace

std::array<uint8_t, kVsockHeaderSize> encode_vsock_header(const VsockHeader& h) {
  std::array<uint8_t, kVsockHeaderSize> bytes{};
  std::span<uint8_t> out(bytes);
  (void)store_le(out, kSrcCid, h.src_cid);
  (void)store_le(out, kDstCid, h.dst_cid);
  (void)store_le(out, kSrcPort, h.src_port);
  (void)store_le(out, kDstPort, h.dst_port);
  (void)store_le(out, kLen, h.len);
  (void)store_le(out, kType, h.type);
  (void)store_le(out, kOp, h.op);
  (void)store_le(out, kFlags, h.flags);
  (void)store_le(out, kBufAlloc, h.buf_alloc);
  (void)store_le(out, kFwdCnt, h.fwd_cnt);
  return bytes;
}

VsockHeader decode_vsock_header(std::span<const uint8_t, kVsockHeaderSize> bytes) {
  // The span has exactly kVsockHeaderSize bytes, so every load succeeds.
  std::span<const uint8_t> in(bytes);
  VsockHeader h;
  h.src_cid = *load_le<uint64_t>(in, kSrcCid);
  h.dst_cid = *load_le<uint64_t>(in, kDstCid);
  h.src_port = *load_le<uint32_t>(in, kSrcPort);
  h.dst_port = *load_le<uint32_t>(in, kDstPort);
  h.len = *load_le<uint32_t>(in, kLen);
  h.type = *load_le<uint16_t>(in, kType);
  h.op = *load_le<uint16_t>(in, kOp);
  h.flags = *load_le<uint32_t>(in, kFlags);
  h.buf_alloc = *load_le<uint32_t>(in, kBufAlloc);
  h.fwd_cnt = *load_le<uint32_t>(in, kFwdCnt);
  return h;
}

}  // namespace vmm::virtio
