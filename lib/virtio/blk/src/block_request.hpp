// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/block_spec.hpp>
#include <vmm/virtio/descriptor_chain.hpp>

#include "block_image.hpp"

namespace vmm::virtio::blk {

// One request as laid out in a chain (§5.2.6): the 16-byte header at the
// start of the device-readable part, the data, and the status byte, which is
// the last byte of the last device-writable buffer. The driver may frame
// these across buffers any way it likes (§2.7.4).
struct ParsedRequest {
  uint32_t type = 0;
  uint64_t sector = 0;
  // The data buffers: device-writable (before the status byte) for IN and
  // GET_ID, device-readable (after the header) for the others.
  std::span<const Descriptor> data;
  uint64_t data_len = 0;
};

// Where the status byte goes: the last byte of the last writable buffer, if
// that buffer has a byte and it is guest RAM. Without one, the request is
// completed with used length 0 and not executed.
[[nodiscard]] std::optional<GuestAddress> find_status_byte(const GuestMemory& memory,
                                                           const ChainBuffers& buffers);

// Reads the header and splits the chain (edited in place: the header and
// the status byte are cut off). kIoErr if there is no complete header.
[[nodiscard]] Status parse_request(const GuestMemory& memory, ChainBuffers& buffers, ParsedRequest& out);

// What a request did: its status and the data bytes written into
// device-writable buffers (used.len is that plus the status byte, §5.2.6).
struct Outcome {
  Status status = Status::kOk;
  uint32_t data_written = 0;
};

// Runs a parsed request against the image. Every guest-supplied value is
// checked here: ranges, lengths, flags, read-only.
[[nodiscard]] Outcome execute_request(BlockImage& image, GuestMemory& memory, const ParsedRequest& request,
                                      std::span<const uint8_t, kIdBytes> id);

// Bytes a request moves to or from the disk: what the bandwidth bucket charges.
[[nodiscard]] uint64_t transfer_bytes(const ParsedRequest& request);

}  // namespace vmm::virtio::blk
