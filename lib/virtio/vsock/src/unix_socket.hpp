// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Non-blocking AF_UNIX stream sockets for the vsock host side.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>

namespace vmm::virtio {

// A listening socket bound to a path; remembers which inode it created so it
// removes only its own socket file.
struct UnixListener {
  Fd fd;
  std::string path;
  dev_t device = 0;
  ino_t inode = 0;
};

// Binds and listens on `path`, replacing a stale socket file there.
Result<UnixListener> listen_unix(const std::string& path);
// Unlinks the listener's path if it is still the socket we created.
void remove_socket_file(const UnixListener& listener);
// A non-blocking connect to the listener at `path` (AF_UNIX connects finish
// at once or fail: there is no EINPROGRESS for them).
Result<Fd> connect_unix(const std::string& path);
// accept4 with SOCK_NONBLOCK; an invalid Fd when nothing is pending.
Result<Fd> accept_unix(int listener);

// Outcome of one non-blocking send/recv.
struct IoResult {
  size_t bytes = 0;
  bool would_block = false;  // EAGAIN: try again when the socket is ready
  bool closed = false;       // EOF on recv; EPIPE/ECONNRESET or another error
};
IoResult send_some(int fd, std::span<const uint8_t> data);
IoResult recv_some(int fd, std::span<uint8_t> out, int flags = 0);

}  // namespace vmm::virtio
