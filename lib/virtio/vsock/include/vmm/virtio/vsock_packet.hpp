// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include <vmm/base/export.hpp>

// The virtio-vsock packet header (VIRTIO 1.2 §5.10.6, struct
// virtio_vsock_hdr): 44 bytes, little endian, in front of every packet on the
// rx and tx queues.
namespace vmm::virtio {

inline constexpr size_t kVsockHeaderSize = 44;
// Well-known CIDs (§5.10.4): the host is 2; guest CIDs are 3 .. 2^32-2.
inline constexpr uint64_t kVsockHostCid = 2;
inline constexpr uint64_t kVsockMinGuestCid = 3;
inline constexpr uint64_t kVsockMaxGuestCid = 0xffff'fffeull;

// VIRTIO_VSOCK_TYPE_STREAM (§5.10.6): the only socket type we support.
inline constexpr uint16_t kVsockTypeStream = 1;

// Operations (§5.10.6, "op" field).
enum class VsockOp : uint16_t {
  kInvalid = 0,
  kRequest = 1,
  kResponse = 2,
  kRst = 3,
  kShutdown = 4,
  kRw = 5,
  kCreditUpdate = 6,
  kCreditRequest = 7,
};

// OP_SHUTDOWN flags (§5.10.6.5): the sender will receive / send no more.
inline constexpr uint32_t kVsockShutdownRcv = 1;
inline constexpr uint32_t kVsockShutdownSend = 2;

struct VsockHeader {
  uint64_t src_cid = 0;
  uint64_t dst_cid = 0;
  uint32_t src_port = 0;
  uint32_t dst_port = 0;
  uint32_t len = 0;  // payload bytes after the header
  uint16_t type = kVsockTypeStream;
  uint16_t op = 0;  // raw: a guest may send any value (see VsockOp)
  uint32_t flags = 0;
  uint32_t buf_alloc = 0;  // sender's receive buffer size (§5.10.6.3)
  uint32_t fwd_cnt = 0;    // bytes the sender has consumed from its buffer

  [[nodiscard]] bool is(VsockOp o) const { return op == static_cast<uint16_t>(o); }
  bool operator==(const VsockHeader&) const = default;
};

[[nodiscard]] VMM_API std::array<uint8_t, kVsockHeaderSize> encode_vsock_header(const VsockHeader& header);
[[nodiscard]] VMM_API VsockHeader decode_vsock_header(std::span<const uint8_t, kVsockHeaderSize> bytes);

}  // namespace vmm::virtio
