// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>

#include <vmm/base/signal_fd.hpp>
#include <vmm/event/event_loop.hpp>

namespace vmm {

// A signalfd in an event loop: `callback` runs on the loop thread, once per
// delivered signal (SIGTERM → graceful shutdown, SIGINT, SIGHUP, ...).
// Creating it blocks the signals in the calling thread: do it before other
// threads start so they inherit the mask and the signals reach the fd.
// Registers itself on creation and removes itself when destroyed; the loop
// must outlive it. The signals stay blocked afterwards.
class VMM_API SignalSubscriber final : public EventSubscriber {
 public:
  using Callback = std::function<void(int signal)>;

  static Result<std::unique_ptr<SignalSubscriber>> create(EventLoop& loop, std::initializer_list<int> signals,
                                                          Callback callback);
  ~SignalSubscriber() override;
  SignalSubscriber(const SignalSubscriber&) = delete;
  SignalSubscriber& operator=(const SignalSubscriber&) = delete;

  void on_event(int fd, uint32_t events) override;

 private:
  SignalSubscriber(EventLoop& loop, SignalFd signals, Callback callback)
      : loop_(loop), signals_(std::move(signals)), callback_(std::move(callback)) {}

  EventLoop& loop_;
  SignalFd signals_;
  Callback callback_;
};

}  // namespace vmm
