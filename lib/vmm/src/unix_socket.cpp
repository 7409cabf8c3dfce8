// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "unix_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vmm {

Result<Fd> listen_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    return Error(std::make_error_code(std::errc::filename_too_long), "socket path \"" + path + "\" is empty or too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      return Error(std::make_error_code(std::errc::file_exists), path + " exists and is not a socket");
    ::unlink(path.c_str());
  }
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return Error::from_errno("socket");
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) return Error::from_errno("bind " + path);
  if (::listen(fd.get(), 16) < 0) return Error::from_errno("listen " + path);
  return fd;
}

Result<Fd> accept_client(int listener) {
  int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) return Fd();
    return Error::from_errno("accept");
  }
  return Fd(fd);
}

}  // namespace vmm
