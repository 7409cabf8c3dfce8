// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "unix_stream.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <vmm/vmm/line_buffer.hpp>

#include "daemon_error.hpp"

namespace vmmd {
namespace {

vmm::Result<void> set_timeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
    return vmm::Error::from_errno("setting socket timeouts");
  }
  return vmm::ok();
}

}  // namespace

vmm::Result<vmm::Fd> connect_unix(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) {
    return daemon_error(DaemonErrc::kFailed, "socket path \"" + path + "\" does not fit in sun_path");
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  vmm::Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return vmm::Error::from_errno("socket");
  while (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno == EINTR) continue;
    return vmm::Error::from_errno("connect to " + path);
  }
  return fd;
}

vmm::Result<vmm::ControlResponse> control_request(const std::string& path, vmm::ControlCommand command,
                                                  std::chrono::milliseconds timeout) {
  VMM_TRY_ASSIGN(vmm::Fd fd, connect_unix(path));
  VMM_TRY(set_timeouts(fd.get(), timeout));
  std::string request = vmm::format_control_request({command, {}});
  if (auto sent = vmm::write_all(fd.get(), request.data(), request.size()); !sent) {
    return sent.error().with_context("control socket " + path);
  }
  vmm::LineBuffer buffer(vmm::kMaxControlResponseBytes);
  while (true) {
    auto line = buffer.next_line();
    if (!line) return line.error().with_context("control socket " + path);
    if (*line) return vmm::parse_control_response(**line);
    auto space = buffer.writable();
    ssize_t n = read(fd.get(), space.data(), space.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return daemon_error(DaemonErrc::kTimeout, "vmm did not answer on " + path + " in time");
    }
    if (n < 0) return vmm::Error::from_errno("read from " + path);
    if (n == 0) return daemon_error(DaemonErrc::kFailed, "vmm closed " + path + " without answering");
    buffer.commit(static_cast<size_t>(n));
  }
}

}  // namespace vmmd
