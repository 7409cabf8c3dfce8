// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <vmm/base/event_fd.hpp>
#include <vmm/event/event_loop.hpp>

namespace vmm {

// A timerfd (CLOCK_MONOTONIC) in an event loop that calls `callback` with
// the number of expirations since the last call. Registers itself on
// creation and removes itself when destroyed; the loop must outlive it.
class VMM_API TimerSubscriber final : public EventSubscriber {
 public:
  using Callback = std::function<void(uint64_t expirations)>;

  // Created disarmed.
  static Result<std::unique_ptr<TimerSubscriber>> create(EventLoop& loop, Callback callback);
  ~TimerSubscriber() override;
  TimerSubscriber(const TimerSubscriber&) = delete;
  TimerSubscriber& operator=(const TimerSubscriber&) = delete;

  // One-shot after initial_ns, then every interval_ns if it is not 0.
  Result<void> arm(uint64_t initial_ns, uint64_t interval_ns = 0) {
    return timer_.arm(initial_ns, interval_ns);
  }
  Result<void> disarm() { return timer_.disarm(); }

  void on_event(int fd, uint32_t events) override;

 private:
  TimerSubscriber(EventLoop& loop, TimerFd timer, Callback callback)
      : loop_(loop), timer_(std::move(timer)), callback_(std::move(callback)) {}

  EventLoop& loop_;
  TimerFd timer_;
  Callback callback_;
};

}  // namespace vmm
