// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <termios.h>

#include <optional>

#include <vmm/base/result.hpp>

namespace vmmctl {

// Puts a terminal in raw mode (no echo, no line editing, no signal keys:
// Ctrl+C goes to the guest) and restores the saved settings when dropped,
// on every way out of the scope that owns it. Signals that would end vmmctl
// are turned into events (console_pump) so that scope is always left normally.
class TtyRawMode {
 public:
  // nullopt when `fd` is not a terminal (nothing to do).
  static vmm::Result<std::optional<TtyRawMode>> enter(int fd);

  TtyRawMode(TtyRawMode&& other) noexcept;
  TtyRawMode& operator=(TtyRawMode&&) = delete;
  TtyRawMode(const TtyRawMode&) = delete;
  TtyRawMode& operator=(const TtyRawMode&) = delete;
  ~TtyRawMode();

 private:
  TtyRawMode(int fd, const termios& saved) : fd_(fd), saved_(saved) {}
  int fd_ = -1;
  termios saved_{};
};

}  // namespace vmmctl
