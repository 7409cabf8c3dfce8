// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/descriptor.hpp>
#include <vmm/virtio/descriptor_chain.hpp>

namespace vmm::virtio {

// Reads the device-readable buffers of a chain front to back, as one stream.
// Each copy goes through GuestMemory, so a buffer outside guest RAM fails at
// the access (MemoryErrc::kOutOfBounds); asking for more than is left fails
// with kShortBuffer before anything is copied. Keeps references to `memory`
// and `buffers` (e.g. ChainBuffers::readable): both must outlive the reader.
class VMM_API ChainReader {
 public:
  ChainReader(const GuestMemory& memory, std::span<const Descriptor> buffers);

  [[nodiscard]] uint64_t remaining() const { return remaining_; }
  // Fills `out` completely or fails.
  Result<void> read(std::span<uint8_t> out);
  Result<void> skip(uint64_t len);

 private:
  Result<void> consume(uint64_t len, std::span<uint8_t> out);

  const GuestMemory* memory_;
  std::span<const Descriptor> buffers_;
  size_t index_ = 0;
  uint64_t offset_ = 0;  // into buffers_[index_]
  uint64_t remaining_ = 0;
};

// Writes into the device-writable buffers of a chain front to back (same
// checks and lifetimes as ChainReader).
class VMM_API ChainWriter {
 public:
  ChainWriter(GuestMemory& memory, std::span<const Descriptor> buffers);

  [[nodiscard]] uint64_t remaining() const { return remaining_; }
  // Bytes written so far: what the device reports as used.len (§2.7.8).
  [[nodiscard]] uint32_t written() const { return static_cast<uint32_t>(written_); }
  // Writes all of `data` or fails (kShortBuffer before anything is written).
  Result<void> write(std::span<const uint8_t> data);

 private:
  GuestMemory* memory_;
  std::span<const Descriptor> buffers_;
  size_t index_ = 0;
  uint64_t offset_ = 0;
  uint64_t remaining_ = 0;
  uint64_t written_ = 0;
};

// The whole readable part of a chain; more than `max_len` bytes is kShortBuffer
// (the device's buffer is too small), so a guest cannot make us allocate 4 GiB.
[[nodiscard]] VMM_API Result<std::vector<uint8_t>> read_readable(const GuestMemory& memory,
                                                                 const ChainBuffers& buffers, size_t max_len);
// Writes `data` at the start of the writable part; a part shorter than the data is kShortBuffer.
[[nodiscard]] VMM_API Result<void> write_writable(GuestMemory& memory, const ChainBuffers& buffers,
                                                  std::span<const uint8_t> data);

}  // namespace vmm::virtio
