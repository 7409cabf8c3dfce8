// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <unordered_map>

#include <vmm/base/event_fd.hpp>
#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>
#include <vmm/event/error.hpp>

namespace vmm {

// Something that owns an fd and wants to hear when it is ready. The loop
// only borrows the fd and the subscriber: both must stay valid until
// removed from the loop.
class VMM_API EventSubscriber {
 public:
  virtual ~EventSubscriber();
  // `events` is the epoll mask that fired (EPOLLIN, EPOLLOUT, EPOLLHUP, ...).
  // A subscriber that leaves a hung-up or errored fd registered is called
  // again at once: remove it (or close it) on EPOLLHUP/EPOLLERR.
  virtual void on_event(int fd, uint32_t events) = 0;
};

// An epoll-based event loop for the VMM's main thread (console, control
// socket, signals, timers, device backends), like rust-vmm's event-manager.
//
// Threading: add/modify/remove/run/run_once belong to one thread (usually
// from inside callbacks). stop() may be called from any thread. Subscribers
// may add or remove any fd, themselves included, while their callback runs;
// events already fetched for a removed fd are dropped, even if the fd number
// is reused by a new registration in the same round.
//
// fd() is the epoll fd itself: it becomes readable when an event is pending,
// so the loop can be nested in another one (sd-event) and driven by
// run_once(0).
class VMM_API EventLoop {
 public:
  static Result<EventLoop> create();

  EventLoop(EventLoop&&) noexcept = default;
  EventLoop& operator=(EventLoop&&) noexcept = default;

  // Watches `fd` for `events` (EPOLLIN, EPOLLOUT, EPOLLET, ...; EPOLLHUP and
  // EPOLLERR are always reported).
  Result<void> add(int fd, uint32_t events, EventSubscriber& subscriber);
  Result<void> modify(int fd, uint32_t events);
  // Forgets `fd`; also fine after the fd was closed.
  Result<void> remove(int fd);

  // Waits up to timeout_ms (-1: forever, 0: poll) and dispatches what is
  // ready. An interrupted wait (EINTR) counts as a round with no events.
  Result<void> run_once(int timeout_ms);
  // Dispatches until stop() is called; returns at once if stop() was called
  // since the last run() returned.
  Result<void> run();
  // Makes the current or next run() return. Safe from any thread (one
  // eventfd write); signals should come in through a SignalSubscriber.
  void stop() const;

  [[nodiscard]] int fd() const { return epoll_.get(); }
  [[nodiscard]] size_t size() const { return by_fd_.size(); }

 private:
  struct Registration {
    int fd;
    EventSubscriber* subscriber;
  };
  EventLoop(Fd epoll, EventFd stop) : epoll_(std::move(epoll)), stop_(std::move(stop)) {}
  void dispatch(const epoll_event& event);

  Fd epoll_;
  EventFd stop_;
  bool stop_requested_ = false;
  uint64_t next_token_ = 1;                              // 0 is the stop eventfd
  std::unordered_map<int, uint64_t> by_fd_;              // fd -> token
  std::unordered_map<uint64_t, Registration> by_token_;  // token -> registration
};

}  // namespace vmm
