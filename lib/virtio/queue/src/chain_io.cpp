// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Streams over a chain's buffers. Guest RAM is checked on every copy (VIRTIO
// 1.2 §2.7.5.1: the device reads only device-readable and writes only
// device-writable buffers; ChainBuffers keeps the two apart).
#include <algorithm>
#include <string>

#include <vmm/virtio/chain_io.hpp>

#include "ring.hpp"

namespace vmm::virtio {
namespace {

uint64_t total_length(std::span<const Descriptor> buffers) {
  uint64_t total = 0;
  for (const Descriptor& d : buffers) total += d.len;  // < 2^16 * 2^32: no overflow
  return total;
}

Error short_buffer(const char* what, uint64_t wanted, uint64_t left) {
  return queue_error(QueueErrc::kShortBuffer, std::string(what) + " " + std::to_string(wanted) +
                                                  " bytes, but the chain has only " + std::to_string(left));
}

}  // namespace

ChainReader::ChainReader(const GuestMemory& memory, std::span<const Descriptor> buffers)
    : memory_(&memory), buffers_(buffers), remaining_(total_length(buffers)) {}

Result<void> ChainReader::read(std::span<uint8_t> out) { return consume(out.size(), out); }

Result<void> ChainReader::skip(uint64_t len) { return consume(len, {}); }

// Copies (or skips, when out is empty) len bytes across buffer boundaries.
Result<void> ChainReader::consume(uint64_t len, std::span<uint8_t> out) {
  if (len > remaining_) return short_buffer("reading", len, remaining_);
  uint64_t done = 0;
  while (done < len) {
    const Descriptor& d = buffers_[index_];
    uint64_t chunk = std::min<uint64_t>(d.len - offset_, len - done);
    if (!out.empty()) {
      // addr + len does not wrap (checked by DescriptorChain), so neither does addr + offset.
      VMM_TRY(memory_->read(d.addr.unchecked_add(offset_), out.subspan(done, chunk)));
    }
    done += chunk;
    offset_ += chunk;
    remaining_ -= chunk;
    if (offset_ == d.len) {
      ++index_;
      offset_ = 0;
    }
  }
  return ok();
}

ChainWriter::ChainWriter(GuestMemory& memory, std::span<const Descriptor> buffers)
    : memory_(&memory), buffers_(buffers), remaining_(total_length(buffers)) {}

Result<void> ChainWriter::write(std::span<const uint8_t> data) {
  if (data.size() > remaining_) return short_buffer("writing", data.size(), remaining_);
  size_t done = 0;
  while (done < data.size()) {
    const Descriptor& d = buffers_[index_];
    uint64_t chunk = std::min<uint64_t>(d.len - offset_, data.size() - done);
    VMM_TRY(memory_->write(d.addr.unchecked_add(offset_), data.subspan(done, chunk)));
    done += chunk;
    offset_ += chunk;
    remaining_ -= chunk;
    written_ += chunk;
    if (offset_ == d.len) {
      ++index_;
      offset_ = 0;
    }
  }
  return ok();
}

Result<std::vector<uint8_t>> read_readable(const GuestMemory& memory, const ChainBuffers& buffers,
                                           size_t max_len) {
  if (buffers.readable_len > max_len) {
    return queue_error(QueueErrc::kShortBuffer, "request of " + std::to_string(buffers.readable_len) +
                                                    " bytes exceeds the device limit of " +
                                                    std::to_string(max_len));
  }
  std::vector<uint8_t> data(buffers.readable_len);
  ChainReader reader(memory, buffers.readable);
  VMM_TRY(reader.read(data));
  return data;
}

Result<void> write_writable(GuestMemory& memory, const ChainBuffers& buffers, std::span<const uint8_t> data) {
  ChainWriter writer(memory, buffers.writable);
  return writer.write(data);
}

}  // namespace vmm::virtio
