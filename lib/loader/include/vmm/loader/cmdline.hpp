// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/loader/error.hpp>
#include <vmm/loader/kernel.hpp>

namespace vmm {

// Capacity (bytes including the NUL) when the kernel does not say: x86-64
// COMMAND_LINE_SIZE.
inline constexpr size_t kDefaultCmdlineCapacity = 2048;

// The command-line capacity a kernel accepts: the bzImage header's
// cmdline_size + 1 (boot.rst: cmdline_size excludes the terminating zero),
// else kDefaultCmdlineCapacity.
[[nodiscard]] VMM_API size_t cmdline_capacity(const LoadedKernel& kernel);

// Checks a whole user-given command line: printable ASCII only (no NUL or
// control characters), balanced double quotes, and text + NUL within
// `capacity` bytes.
VMM_API Result<void> validate_cmdline(std::string_view text, size_t capacity);

// A kernel command line built piece by piece, valid after every step: each
// insert either appends a space-separated piece or leaves the line unchanged
// and returns an error.
class VMM_API Cmdline {
 public:
  // `capacity` counts the terminating NUL (see cmdline_capacity()).
  explicit Cmdline(size_t capacity) : capacity_(capacity) {}

  // Appends key=value. The key must be non-empty printable ASCII without
  // spaces, '=' or '"'; the value printable ASCII without '"'. A value with
  // spaces is quoted (key="a b"), which the kernel's parser strips.
  Result<void> insert(std::string_view key, std::string_view value);
  // Appends a free-form piece (several arguments at once), validated like
  // validate_cmdline.
  Result<void> insert_str(std::string_view text);

  [[nodiscard]] std::string_view as_str() const { return text_; }
  // Length without the NUL.
  [[nodiscard]] size_t size() const { return text_.size(); }
  [[nodiscard]] size_t capacity() const { return capacity_; }
  // The text and its terminating NUL, ready to be written to guest memory.
  [[nodiscard]] std::span<const uint8_t> bytes_with_nul() const {
    return {reinterpret_cast<const uint8_t*>(text_.c_str()), text_.size() + 1};
  }

 private:
  Result<void> append(std::string_view piece);

  size_t capacity_;
  std::string text_;
};

}  // namespace vmm
