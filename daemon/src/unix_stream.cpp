// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "unix_stream.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "daemon_error.hpp"

namespace vmmd {

vmm::Result<vmm::Fd> connect_unix(const std::string& path, bool nonblocking) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) {
    return daemon_error(DaemonErrc::kFailed, "socket path \"" + path + "\" does not fit in sun_path");
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  vmm::Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0));
  if (!fd) return vmm::Error::from_errno("socket");
  // A unix stream connect completes at once or fails (EAGAIN: backlog full).
  while (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno == EINTR) continue;
    return vmm::Error::from_errno("connect to " + path);
  }
  return fd;
}

}  // namespace vmmd
