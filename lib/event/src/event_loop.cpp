// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/event/event_loop.hpp>

#include <array>
#include <cerrno>
#include <string>

namespace vmm {
namespace {

constexpr uint64_t kStopToken = 0;
constexpr int kMaxEventsPerRound = 32;

Error not_registered(int fd) {
  return Error(EventErrc::kNotRegistered, "fd " + std::to_string(fd) + " is not in the event loop");
}

}  // namespace

EventSubscriber::~EventSubscriber() = default;

Result<EventLoop> EventLoop::create() {
  Fd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll) return Error::from_errno("epoll_create1");
  VMM_TRY_ASSIGN(EventFd stop, EventFd::create());
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kStopToken;
  if (::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, stop.fd(), &event) < 0)
    return Error::from_errno("epoll_ctl add stop eventfd");
  return EventLoop(std::move(epoll), std::move(stop));
}

Result<void> EventLoop::add(int fd, uint32_t events, EventSubscriber& subscriber) {
  if (by_fd_.contains(fd))
    return Error(EventErrc::kAlreadyRegistered, "fd " + std::to_string(fd) + " is already in the event loop");
  // Tokens, not fds, identify registrations in epoll, so an event fetched
  // for a registration removed meanwhile can never reach a newer one.
  uint64_t token = next_token_++;
  epoll_event event{};
  event.events = events;
  event.data.u64 = token;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) < 0)
    return Error::from_errno("epoll_ctl add fd " + std::to_string(fd));
  by_fd_.emplace(fd, token);
  by_token_.emplace(token, Registration{fd, &subscriber});
  return ok();
}

Result<void> EventLoop::modify(int fd, uint32_t events) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return not_registered(fd);
  epoll_event event{};
  event.events = events;
  event.data.u64 = it->second;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &event) < 0)
    return Error::from_errno("epoll_ctl modify fd " + std::to_string(fd));
  return ok();
}

Result<void> EventLoop::remove(int fd) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return not_registered(fd);
  by_token_.erase(it->second);
  by_fd_.erase(it);
  // A closed fd has already left the epoll set (EBADF, or ENOENT if its
  // number was reused by an fd we never added).
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr) < 0 && errno != EBADF && errno != ENOENT)
    return Error::from_errno("epoll_ctl remove fd " + std::to_string(fd));
  return ok();
}

void EventLoop::dispatch(const epoll_event& event) {
  // epoll_event is packed on x86-64: copy its fields out before taking
  // references to them (map lookups bind const uint64_t&).
  const uint64_t token = event.data.u64;
  const uint32_t events = event.events;
  if (token == kStopToken) {
    (void)stop_.read();
    stop_requested_ = true;
    return;
  }
  auto it = by_token_.find(token);
  if (it == by_token_.end()) return;       // removed by an earlier callback this round
  Registration registration = it->second;  // the callback may erase the entry
  registration.subscriber->on_event(registration.fd, events);
}

Result<void> EventLoop::run_once(int timeout_ms) {
  std::array<epoll_event, kMaxEventsPerRound> events;
  int count = ::epoll_wait(epoll_.get(), events.data(), kMaxEventsPerRound, timeout_ms);
  if (count < 0) {
    if (errno == EINTR) return ok();
    return Error::from_errno("epoll_wait");
  }
  for (int i = 0; i < count; ++i) dispatch(events[static_cast<size_t>(i)]);
  return ok();
}

Result<void> EventLoop::run() {
  while (!stop_requested_) VMM_TRY(run_once(-1));
  stop_requested_ = false;
  return ok();
}

void EventLoop::stop() const { (void)stop_.write(1); }

}  // namespace vmm
