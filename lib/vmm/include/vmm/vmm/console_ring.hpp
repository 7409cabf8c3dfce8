// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <vmm/base/export.hpp>

namespace vmm {

// The console's scrollback: the last `capacity` bytes the guest wrote,
// replayed to each new console reader. Appending never allocates; the
// oldest bytes are dropped to make room.
//
// Not synchronized: the owner locks. A console broker has to hold one lock
// across snapshot() and registering the new reader for live output anyway,
// or bytes written in between would be lost or sent twice.
class VMM_API ConsoleRing {
 public:
  static constexpr size_t kDefaultCapacity = 64 * 1024;

  // A capacity of 0 keeps nothing (total_appended() still counts).
  explicit ConsoleRing(size_t capacity = kDefaultCapacity);

  void append(std::span<const uint8_t> bytes);
  // The kept bytes, oldest first.
  [[nodiscard]] std::vector<uint8_t> snapshot() const;
  void clear();

  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] size_t capacity() const { return buffer_.size(); }
  // Bytes appended since construction or clear(), kept or dropped; a reader
  // can compare it with its own count to tell how much it missed.
  [[nodiscard]] uint64_t total_appended() const { return total_; }

 private:
  std::vector<uint8_t> buffer_;
  size_t start_ = 0;  // index of the oldest kept byte
  size_t size_ = 0;
  uint64_t total_ = 0;
};

}  // namespace vmm
