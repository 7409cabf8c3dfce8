// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/line_buffer.hpp>

#include <algorithm>
#include <cstring>

#include <vmm/vmm/error.hpp>

namespace vmm {

LineBuffer::LineBuffer(size_t max_line) : buffer_(max_line + 1) {}

std::span<char> LineBuffer::writable() {
  compact();
  return {buffer_.data() + end_, buffer_.size() - end_};
}

void LineBuffer::commit(size_t n) { end_ += std::min(n, buffer_.size() - end_); }

size_t LineBuffer::append(std::string_view data) {
  auto space = writable();
  size_t n = std::min(space.size(), data.size());
  std::memcpy(space.data(), data.data(), n);
  commit(n);
  return n;
}

Result<std::optional<std::string>> LineBuffer::next_line() {
  const char* first = buffer_.data() + begin_;
  const char* newline = static_cast<const char*>(std::memchr(first + scanned_, '\n', pending() - scanned_));
  if (!newline) {
    scanned_ = pending();
    if (pending() > max_line())
      return Error(ControlErrc::kLineTooLong, "line longer than " + std::to_string(max_line()) + " bytes");
    return std::optional<std::string>();
  }
  size_t length = static_cast<size_t>(newline - first);
  std::string line(first, length);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  begin_ += length + 1;
  scanned_ = 0;
  if (begin_ == end_) begin_ = end_ = 0;
  return std::optional<std::string>(std::move(line));
}

void LineBuffer::compact() {
  if (begin_ == 0) return;
  std::memmove(buffer_.data(), buffer_.data() + begin_, pending());
  end_ -= begin_;
  begin_ = 0;
}

}  // namespace vmm
