// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/event_fd.hpp>

#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>

namespace vmm {

Result<EventFd> EventFd::create(unsigned flags, bool nonblocking) {
  int fd = ::eventfd(0, static_cast<int>(flags) | EFD_CLOEXEC | (nonblocking ? EFD_NONBLOCK : 0));
  if (fd < 0) return Error::from_errno("eventfd");
  return EventFd(Fd(fd));
}

Result<void> EventFd::write(uint64_t value) const {
  while (::write(fd_.get(), &value, sizeof value) < 0) {
    if (errno != EINTR) return Error::from_errno("eventfd write");
  }
  return ok();
}

Result<uint64_t> EventFd::read() const {
  uint64_t value = 0;
  while (::read(fd_.get(), &value, sizeof value) < 0) {
    if (errno == EAGAIN) return uint64_t{0};
    if (errno != EINTR) return Error::from_errno("eventfd read");
  }
  return value;
}

Result<EventFd> EventFd::duplicate() const {
  VMM_TRY_ASSIGN(Fd copy, fd_.duplicate());
  return EventFd(std::move(copy));
}

Result<TimerFd> TimerFd::create() {
  int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (fd < 0) return Error::from_errno("timerfd_create");
  return TimerFd(Fd(fd));
}

Result<void> TimerFd::arm(uint64_t initial_ns, uint64_t interval_ns) const {
  constexpr uint64_t kNsPerSec = 1'000'000'000;
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(initial_ns / kNsPerSec);
  spec.it_value.tv_nsec = static_cast<long>(initial_ns % kNsPerSec);
  spec.it_interval.tv_sec = static_cast<time_t>(interval_ns / kNsPerSec);
  spec.it_interval.tv_nsec = static_cast<long>(interval_ns % kNsPerSec);
  if (::timerfd_settime(fd_.get(), 0, &spec, nullptr) < 0) return Error::from_errno("timerfd_settime");
  return ok();
}

Result<uint64_t> TimerFd::read() const {
  uint64_t expirations = 0;
  while (::read(fd_.get(), &expirations, sizeof expirations) < 0) {
    if (errno == EAGAIN) return uint64_t{0};
    if (errno != EINTR) return Error::from_errno("timerfd read");
  }
  return expirations;
}

}  // namespace vmm
