// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <signal.h>

#include <initializer_list>

#include <vmm/base/fd.hpp>

namespace vmm {

// signalfd(2) for a set of signals, which it blocks in the calling thread
// (call it before starting other threads so they inherit the mask).
class VMM_API SignalFd {
 public:
  static Result<SignalFd> create(std::initializer_list<int> signals);
  // The next pending signal number, or 0 if none is pending.
  Result<int> read() const;
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  explicit SignalFd(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

}  // namespace vmm
