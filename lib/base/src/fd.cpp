// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/fd.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace vmm {

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Result<Fd> Fd::open(const char* path, int flags, unsigned mode) {
  int fd = ::open(path, flags | O_CLOEXEC, mode);
  if (fd < 0) return Error::from_errno(std::string("open ") + path);
  return Fd(fd);
}

Result<Fd> Fd::duplicate() const {
  int fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return Error::from_errno("dup");
  return Fd(fd);
}

Result<void> write_all(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("write");
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return ok();
}

}  // namespace vmm
