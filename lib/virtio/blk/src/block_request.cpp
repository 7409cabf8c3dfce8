// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Splitting a chain into a virtio-blk request (VIRTIO 1.2 §5.2.6).
#include "block_request.hpp"

#include <vector>

#include <vmm/base/bytes.hpp>
#include <vmm/virtio/chain_io.hpp>

namespace vmm::virtio::blk {
namespace {

// Cuts `len` bytes off the front of a buffer list.
void drop_front(std::vector<Descriptor>& buffers, uint64_t len) {
  size_t whole = 0;
  while (whole < buffers.size() && buffers[whole].len <= len) len -= buffers[whole++].len;
  buffers.erase(buffers.begin(), buffers.begin() + static_cast<std::ptrdiff_t>(whole));
  if (len > 0 && !buffers.empty()) {
    buffers.front().addr = buffers.front().addr.unchecked_add(len);  // inside the buffer: no wrap
    buffers.front().len -= static_cast<uint32_t>(len);
  }
}

// Cuts the status byte off the end of the writable list.
void drop_status_byte(std::vector<Descriptor>& writable) {
  if (--writable.back().len == 0) writable.pop_back();
}

uint64_t total_length(std::span<const Descriptor> buffers) {
  uint64_t total = 0;
  for (const Descriptor& d : buffers) total += d.len;
  return total;
}

bool data_is_writable(uint32_t type) {
  return type == static_cast<uint32_t>(RequestType::kIn) ||
         type == static_cast<uint32_t>(RequestType::kGetId);
}

}  // namespace

std::optional<GuestAddress> find_status_byte(const GuestMemory& memory, const ChainBuffers& buffers) {
  if (buffers.writable.empty()) return std::nullopt;
  const Descriptor& last = buffers.writable.back();
  if (last.len == 0) return std::nullopt;
  GuestAddress status = last.addr.unchecked_add(last.len - 1);  // addr + len does not wrap (DescriptorChain)
  if (!memory.contains_range(status, 1)) return std::nullopt;
  return status;
}

Status parse_request(const GuestMemory& memory, ChainBuffers& buffers, ParsedRequest& out) {
  drop_status_byte(buffers.writable);
  std::array<uint8_t, kRequestHeaderSize> header{};
  ChainReader reader(memory, buffers.readable);
  if (!reader.read(header)) return Status::kIoErr;  // too short, or not guest RAM
  out.type = *load_le<uint32_t>(header, 0);
  out.sector = *load_le<uint64_t>(header, 8);
  drop_front(buffers.readable, kRequestHeaderSize);
  out.data = data_is_writable(out.type) ? std::span<const Descriptor>(buffers.writable)
                                        : std::span<const Descriptor>(buffers.readable);
  out.data_len = total_length(out.data);
  return Status::kOk;
}

uint64_t transfer_bytes(const ParsedRequest& request) {
  auto type = static_cast<RequestType>(request.type);
  return type == RequestType::kIn || type == RequestType::kOut ? request.data_len : 0;
}

}  // namespace vmm::virtio::blk
