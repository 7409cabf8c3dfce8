// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/event/signal_subscriber.hpp>
#include <vmm/event/timer_subscriber.hpp>

namespace vmm {

Result<std::unique_ptr<TimerSubscriber>> TimerSubscriber::create(EventLoop& loop, Callback callback) {
  VMM_TRY_ASSIGN(TimerFd timer, TimerFd::create());
  std::unique_ptr<TimerSubscriber> subscriber(
      new TimerSubscriber(loop, std::move(timer), std::move(callback)));
  VMM_TRY(loop.add(subscriber->timer_.fd(), EPOLLIN, *subscriber));
  return subscriber;
}

TimerSubscriber::~TimerSubscriber() { (void)loop_.remove(timer_.fd()); }

// The timerfd is non-blocking: a spurious wakeup reads 0 expirations.
void TimerSubscriber::on_event(int, uint32_t) {
  auto expirations = timer_.read();
  if (expirations.ok() && *expirations > 0) callback_(*expirations);
}

Result<std::unique_ptr<SignalSubscriber>> SignalSubscriber::create(EventLoop& loop,
                                                                   std::initializer_list<int> signals,
                                                                   Callback callback) {
  VMM_TRY_ASSIGN(SignalFd fd, SignalFd::create(signals));
  std::unique_ptr<SignalSubscriber> subscriber(
      new SignalSubscriber(loop, std::move(fd), std::move(callback)));
  VMM_TRY(loop.add(subscriber->signals_.fd(), EPOLLIN, *subscriber));
  return subscriber;
}

SignalSubscriber::~SignalSubscriber() { (void)loop_.remove(signals_.fd()); }

// Drains every pending signal (several may be queued by the time we run).
void SignalSubscriber::on_event(int, uint32_t) {
  for (;;) {
    auto signal = signals_.read();
    if (!signal.ok() || *signal == 0) return;
    callback_(*signal);
  }
}

}  // namespace vmm
