// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <sys/socket.h>

#include <cerrno>

#include <vmm/virtio/net_backend.hpp>

namespace vmm::virtio {

NetBackend::~NetBackend() = default;

bool would_block(const Error& error) {
  return error.code() == std::errc::resource_unavailable_try_again ||
         error.code() == std::errc::operation_would_block;
}

Result<SocketPairBackend::Pair> SocketPairBackend::create() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
    return Error::from_errno("socketpair(SOCK_SEQPACKET)");
  Fd ours(fds[0]);
  Fd peer(fds[1]);
  // Room for a few maximum-sized frames each way (the default is ~200 KiB).
  int size = 1 << 20;
  (void)::setsockopt(ours.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  (void)::setsockopt(peer.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  return Pair{std::unique_ptr<SocketPairBackend>(new SocketPairBackend(std::move(ours))), std::move(peer)};
}

Result<size_t> SocketPairBackend::read_frame(std::span<uint8_t> buffer) {
  for (;;) {
    // MSG_TRUNC: the full datagram length even when it did not fit.
    ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC);
    // 0 is the end of the stream (an empty datagram looks the same and is no frame either).
    if (n == 0) return Error::from_errno(ECONNRESET, "socketpair backend: peer closed");
    if (n > 0) return static_cast<size_t>(n);
    if (errno != EINTR) return Error::from_errno("socketpair backend: recv");
  }
}

Result<void> SocketPairBackend::write_frame(std::span<const uint8_t> frame) {
  for (;;) {
    ssize_t n = ::send(fd_.get(), frame.data(), frame.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return ok();
    if (errno != EINTR) return Error::from_errno("socketpair backend: send");
  }
}

}  // namespace vmm::virtio
