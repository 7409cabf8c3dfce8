// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/virtio/net_rate_limiter.hpp>

namespace vmm::virtio {

using ratelimit::RateLimiter;
using ratelimit::TokenType;

Result<std::unique_ptr<NetRateLimiter>> NetRateLimiter::create(const ratelimit::RateLimitConfig& config,
                                                               NetDevice& device, ratelimit::Clock clock) {
  VMM_TRY_ASSIGN(RateLimiter rx, RateLimiter::create(config, clock));
  VMM_TRY_ASSIGN(RateLimiter tx, RateLimiter::create(config, clock));
  std::unique_ptr<NetRateLimiter> limiter(new NetRateLimiter(std::move(rx), std::move(tx), device));
  device.set_throttle(limiter.get());
  return limiter;
}

NetRateLimiter::~NetRateLimiter() { device_.set_throttle(nullptr); }

Result<void> NetRateLimiter::attach_to(EventLoop& loop) {
  VMM_TRY(loop.add(rx_.timer_fd(), EPOLLIN, *this));
  return loop.add(tx_.timer_fd(), EPOLLIN, *this);
}

void NetRateLimiter::detach_from(EventLoop& loop) {
  (void)loop.remove(rx_.timer_fd());
  (void)loop.remove(tx_.timer_fd());
}

bool NetRateLimiter::admit(RateLimiter& limiter, uint64_t bytes) {
  if (!limiter.consume(1, TokenType::kOps)) return false;
  if (limiter.consume(bytes, TokenType::kBytes)) return true;
  limiter.replenish(1, TokenType::kOps);  // the frame waits: it will be charged again
  return false;
}

void NetRateLimiter::on_event(int fd, uint32_t /*events*/) {
  (fd == rx_.timer_fd() ? rx_ : tx_).on_timer();
  device_.resume();
}

}  // namespace vmm::virtio
