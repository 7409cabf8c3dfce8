// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <utility>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>

namespace vmm {

// Move-only owner of a file descriptor; closes it when dropped.
class VMM_API Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }
  // Gives up ownership without closing.
  [[nodiscard]] int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);

  // open(2) with O_CLOEXEC added; the error names the path.
  static Result<Fd> open(const char* path, int flags, unsigned mode = 0);
  Result<Fd> duplicate() const;

 private:
  int fd_ = -1;
};

// Writes all of data, retrying on EINTR and short writes (blocking fds).
VMM_API Result<void> write_all(int fd, const void* data, size_t size);

}  // namespace vmm
