// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "tty_raw_mode.hpp"

#include <unistd.h>

#include <cerrno>
#include <utility>

namespace vmmctl {

vmm::Result<std::optional<TtyRawMode>> TtyRawMode::enter(int fd) {
  if (!isatty(fd)) return std::optional<TtyRawMode>{};
  termios saved{};
  if (tcgetattr(fd, &saved) < 0) return vmm::Error::from_errno("reading the terminal settings");
  termios raw = saved;
  cfmakeraw(&raw);
  // Keep output post-processing so our own messages' "\n" still start a new line.
  raw.c_oflag = saved.c_oflag;
  if (tcsetattr(fd, TCSANOW, &raw) < 0) return vmm::Error::from_errno("switching the terminal to raw mode");
  return std::optional<TtyRawMode>(TtyRawMode(fd, saved));
}

TtyRawMode::TtyRawMode(TtyRawMode&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), saved_(other.saved_) {}

TtyRawMode::~TtyRawMode() {
  if (fd_ < 0) return;
  // TCSADRAIN could block forever behind a stopped terminal; restore at once.
  while (tcsetattr(fd_, TCSANOW, &saved_) < 0 && errno == EINTR) {
  }
}

}  // namespace vmmctl
