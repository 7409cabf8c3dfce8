// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <memory>

#include <vmm/event/event_loop.hpp>
#include <vmm/ratelimit/rate_limiter.hpp>
#include <vmm/virtio/net.hpp>

namespace vmm::virtio {

// A NetDevice's throttle from lib/ratelimit: one limiter per direction, each
// with the same buckets (as Firecracker's rx/tx rate limiters), charging one
// op and the frame's bytes per frame. A refused frame waits in the device;
// the limiter's timer (in the device's event loop) resumes the device.
class VMM_API NetRateLimiter final : public NetThrottle, public EventSubscriber {
 public:
  // Installs itself as `device`'s throttle; `device` must outlive it.
  static Result<std::unique_ptr<NetRateLimiter>> create(const ratelimit::RateLimitConfig& config, NetDevice& device,
                                                        ratelimit::Clock clock = ratelimit::monotonic_clock());
  ~NetRateLimiter() override;
  NetRateLimiter(const NetRateLimiter&) = delete;
  NetRateLimiter& operator=(const NetRateLimiter&) = delete;

  // Registers both limiters' timers in the device's event loop.
  Result<void> attach_to(EventLoop& loop);
  void detach_from(EventLoop& loop);

  bool admit_tx(uint64_t bytes) override { return admit(tx_, bytes); }
  bool admit_rx(uint64_t bytes) override { return admit(rx_, bytes); }
  void on_event(int fd, uint32_t events) override;

 private:
  NetRateLimiter(ratelimit::RateLimiter rx, ratelimit::RateLimiter tx, NetDevice& device)
      : rx_(std::move(rx)), tx_(std::move(tx)), device_(device) {}
  static bool admit(ratelimit::RateLimiter& limiter, uint64_t bytes);

  ratelimit::RateLimiter rx_;
  ratelimit::RateLimiter tx_;
  NetDevice& device_;
};

}  // namespace vmm::virtio
