// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace vmm {

// A fixed-capacity byte queue with no allocation: device buffers (the UART
// receive FIFO, the i8042 output buffer) can never grow, whatever the guest
// or the host sends.
template <size_t N>
class ByteFifo {
 public:
  static constexpr size_t kCapacity = N;

  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] bool full() const { return size_ == N; }
  [[nodiscard]] size_t free() const { return N - size_; }

  // False (and nothing stored) when full.
  bool push(uint8_t byte) {
    if (full()) return false;
    bytes_[(head_ + size_) % N] = byte;
    ++size_;
    return true;
  }
  // The oldest byte; 0 when empty.
  uint8_t pop() {
    if (empty()) return 0;
    uint8_t byte = bytes_[head_];
    head_ = (head_ + 1) % N;
    --size_;
    return byte;
  }
  void clear() { head_ = size_ = 0; }

 private:
  std::array<uint8_t, N> bytes_{};
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace vmm
