// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

#include <vmm/base/fd.hpp>

namespace vmm {

// eventfd(2): a counter other threads (or KVM, for irqfd/ioeventfd) signal.
class VMM_API EventFd {
 public:
  // Non-blocking by default so the event loop never stalls on it.
  static Result<EventFd> create(unsigned flags = 0, bool nonblocking = true);

  Result<void> write(uint64_t value = 1) const;
  // Returns the counter and resets it; EAGAIN (nothing pending) gives 0.
  Result<uint64_t> read() const;
  [[nodiscard]] int fd() const { return fd_.get(); }
  Result<EventFd> duplicate() const;

 private:
  explicit EventFd(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

// timerfd(2) on CLOCK_MONOTONIC.
class VMM_API TimerFd {
 public:
  static Result<TimerFd> create();
  // Arms a one-shot (interval 0) or periodic timer; 0/0 disarms.
  Result<void> arm(uint64_t initial_ns, uint64_t interval_ns = 0) const;
  Result<void> disarm() const { return arm(0, 0); }
  // Expirations since the last read (0 if none).
  Result<uint64_t> read() const;
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  explicit TimerFd(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

}  // namespace vmm
