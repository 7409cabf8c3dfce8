// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <optional>

#include <vmm/base/event_fd.hpp>
#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/ratelimit/token_bucket.hpp>

namespace vmm::ratelimit {

enum class TokenType {
  kBytes,  // the bandwidth bucket
  kOps,    // the operations bucket
};

// A device's rate limiter (Firecracker's RateLimiter): an optional bytes
// bucket and an optional ops bucket. A refused consume() arms the limiter's
// own timerfd for when the refused amount will be there and marks the
// limiter blocked; the device registers timer_fd() with its event loop,
// stops taking requests while blocked() and retries after on_timer().
// Single-threaded: the device calls it under its lock on the loop thread.
class VMM_API RateLimiter {
 public:
  // Buckets with size 0 or refill time 0 are left out (no limit).
  static Result<RateLimiter> create(const RateLimitConfig& config, Clock clock = monotonic_clock());

  // Takes `tokens` from the bucket of `type`; true if there is no such bucket.
  // False while blocked, or when the bucket is short: then the timer is armed.
  bool consume(uint64_t tokens, TokenType type);
  // Gives back what consume() took for a request that was not served after all.
  void replenish(uint64_t tokens, TokenType type);

  // Readable when the timer armed by a refused consume() expires.
  [[nodiscard]] int timer_fd() const { return timer_.fd(); }
  // The timer fired (or the device wants to retry): drains the timerfd and
  // unblocks. A retry that is still short simply blocks again.
  void on_timer();
  [[nodiscard]] bool blocked() const { return blocked_; }

  [[nodiscard]] const std::optional<TokenBucket>& bandwidth() const { return bandwidth_; }
  [[nodiscard]] const std::optional<TokenBucket>& ops() const { return ops_; }

 private:
  RateLimiter(std::optional<TokenBucket> bandwidth, std::optional<TokenBucket> ops, TimerFd timer,
              Clock clock)
      : bandwidth_(std::move(bandwidth)),
        ops_(std::move(ops)),
        timer_(std::move(timer)),
        clock_(std::move(clock)) {}
  std::optional<TokenBucket>& bucket(TokenType type) { return type == TokenType::kBytes ? bandwidth_ : ops_; }

  std::optional<TokenBucket> bandwidth_;
  std::optional<TokenBucket> ops_;
  TimerFd timer_;
  Clock clock_;
  bool blocked_ = false;
};

}  // namespace vmm::ratelimit
