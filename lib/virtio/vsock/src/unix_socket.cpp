// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "unix_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <vmm/virtio/vsock_error.hpp>

namespace vmm::virtio {
namespace {

constexpr int kListenBacklog = 128;

Result<sockaddr_un> socket_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  // sun_path needs room for the terminating NUL.
  if (path.empty() || path.size() >= sizeof(address.sun_path))
    return Error(VsockErrc::kInvalidSocketPath, "unix socket path '" + path + "'");
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

Result<Fd> stream_socket() {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return Error::from_errno("socket(AF_UNIX)");
  return fd;
}

// A socket file left behind by an earlier run is replaced; anything else at
// the path is the user's and stays.
Result<void> remove_stale_socket(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) < 0) {
    if (errno == ENOENT) return ok();
    return Error::from_errno("stat " + path);
  }
  if (!S_ISSOCK(info.st_mode)) return Error(VsockErrc::kPathNotASocket, path);
  if (::unlink(path.c_str()) < 0) return Error::from_errno("unlink stale socket " + path);
  return ok();
}

}  // namespace

Result<UnixListener> listen_unix(const std::string& path) {
  VMM_TRY_ASSIGN(sockaddr_un address, socket_address(path));
  VMM_TRY(remove_stale_socket(path));
  VMM_TRY_ASSIGN(Fd fd, stream_socket());
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) < 0)
    return Error::from_errno("bind " + path);
  if (::listen(fd.get(), kListenBacklog) < 0) return Error::from_errno("listen " + path);
  struct stat info {};
  if (::stat(path.c_str(), &info) < 0) return Error::from_errno("stat " + path);
  return UnixListener{std::move(fd), path, info.st_dev, info.st_ino};
}

void remove_socket_file(const UnixListener& listener) {
  struct stat info {};
  if (::lstat(listener.path.c_str(), &info) < 0) return;
  if (info.st_dev == listener.device && info.st_ino == listener.inode) (void)::unlink(listener.path.c_str());
}

Result<Fd> connect_unix(const std::string& path) {
  VMM_TRY_ASSIGN(sockaddr_un address, socket_address(path));
  VMM_TRY_ASSIGN(Fd fd, stream_socket());
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) < 0)
    return Error::from_errno("connect " + path);
  return fd;
}

Result<Fd> accept_unix(int listener) {
  Fd fd(::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (fd) return fd;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED || errno == EINTR) return Fd();
  return Error::from_errno("accept on the vsock unix socket");
}

IoResult send_some(int fd, std::span<const uint8_t> data) {
  // MSG_NOSIGNAL: a host client that went away must not SIGPIPE the VMM.
  ssize_t n;
  do {
    n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n >= 0) return IoResult{static_cast<size_t>(n), false, false};
  if (errno == EAGAIN || errno == EWOULDBLOCK) return IoResult{0, true, false};
  return IoResult{0, false, true};
}

IoResult recv_some(int fd, std::span<uint8_t> out, int flags) {
  ssize_t n;
  do {
    n = ::recv(fd, out.data(), out.size(), flags | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n > 0) return IoResult{static_cast<size_t>(n), false, false};
  if (n == 0) return IoResult{0, false, true};
  if (errno == EAGAIN || errno == EWOULDBLOCK) return IoResult{0, true, false};
  return IoResult{0, false, true};
}

}  // namespace vmm::virtio
