// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>

namespace vmm {

// Collects bytes from a stream socket and hands out complete '\n'-terminated
// lines. Its memory is fixed at construction (max_line + 1 bytes): a line
// longer than max_line is an error (ControlErrc::kLineTooLong), never growth.
// After that error the stream cannot be resynchronized; close it.
//
//   auto space = buffer.writable();
//   ssize_t n = read(fd, space.data(), space.size());   // n == 0: peer closed
//   buffer.commit(n);
//   while (true) {
//     auto line = buffer.next_line();   // error: line too long
//     if (!line.ok() || !*line) break;
//     handle(**line);
//   }
class VMM_API LineBuffer {
 public:
  explicit LineBuffer(size_t max_line);

  // Free space to read into; moves unread bytes to the front first. Empty
  // only when the pending line is too long (next_line() reports it).
  [[nodiscard]] std::span<char> writable();
  // Marks n bytes of writable() as filled; n larger than it is clamped.
  void commit(size_t n);
  // Copies as much of data as fits; returns how many bytes were taken.
  size_t append(std::string_view data);

  // The next line without its "\n" (or "\r\n"), nullopt if no full line is
  // buffered yet, an error if the pending line exceeds max_line.
  Result<std::optional<std::string>> next_line();

  // Bytes of an unfinished line (left over when the peer closes).
  [[nodiscard]] size_t pending() const { return end_ - begin_; }
  [[nodiscard]] size_t max_line() const { return buffer_.size() - 1; }

 private:
  void compact();

  std::vector<char> buffer_;
  size_t begin_ = 0;    // first unread byte
  size_t end_ = 0;      // one past the last filled byte
  size_t scanned_ = 0;  // bytes from begin_ known to hold no '\n'
};

}  // namespace vmm
