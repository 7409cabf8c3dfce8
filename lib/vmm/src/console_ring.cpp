// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/console_ring.hpp>

#include <algorithm>
#include <cstring>

namespace vmm {

ConsoleRing::ConsoleRing(size_t capacity) : buffer_(capacity) {}

void ConsoleRing::append(std::span<const uint8_t> bytes) {
  total_ += bytes.size();
  const size_t capacity = buffer_.size();
  if (capacity == 0 || bytes.empty()) return;
  if (bytes.size() >= capacity) {
    // Only the newest `capacity` bytes survive.
    std::memcpy(buffer_.data(), bytes.data() + (bytes.size() - capacity), capacity);
    start_ = 0;
    size_ = capacity;
    return;
  }
  size_t end = (start_ + size_) % capacity;
  size_t first = std::min(bytes.size(), capacity - end);
  std::memcpy(buffer_.data() + end, bytes.data(), first);
  std::memcpy(buffer_.data(), bytes.data() + first, bytes.size() - first);
  size_t overflow = size_ + bytes.size() > capacity ? size_ + bytes.size() - capacity : 0;
  start_ = (start_ + overflow) % capacity;
  size_ = std::min(size_ + bytes.size(), capacity);
}

std::vector<uint8_t> ConsoleRing::snapshot() const {
  std::vector<uint8_t> out(size_);
  if (size_ == 0) return out;
  size_t first = std::min(size_, buffer_.size() - start_);
  std::memcpy(out.data(), buffer_.data() + start_, first);
  std::memcpy(out.data() + first, buffer_.data(), size_ - first);
  return out;
}

void ConsoleRing::clear() {
  start_ = 0;
  size_ = 0;
  total_ = 0;
}

}  // namespace vmm
