// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <time.h>

#include <algorithm>
#include <string>
#include <system_error>

#include <vmm/ratelimit/rate_limiter.hpp>

namespace vmm::ratelimit {
namespace {

// refill_time_ms is turned into ns; beyond this it would not fit in 64 bits.
constexpr uint64_t kMaxRefillTimeMs = uint64_t{1} << 40;  // about 35 years

bool limits(const std::optional<TokenBucketConfig>& config) {
  return config && config->size != 0 && config->refill_time_ms != 0;
}

Result<std::optional<TokenBucket>> make_bucket(const std::optional<TokenBucketConfig>& config, uint64_t now,
                                               const char* name) {
  if (!limits(config)) return std::optional<TokenBucket>();
  if (config->refill_time_ms > kMaxRefillTimeMs) {
    return Error(std::make_error_code(std::errc::invalid_argument),
                 std::string(name) + " bucket: refill_time_ms " + std::to_string(config->refill_time_ms) +
                     " is above " + std::to_string(kMaxRefillTimeMs));
  }
  return std::optional<TokenBucket>(TokenBucket(*config, now));
}

}  // namespace

Clock monotonic_clock() {
  return [] {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<uint64_t>(now.tv_sec) * 1'000'000'000 + static_cast<uint64_t>(now.tv_nsec);
  };
}

Result<RateLimiter> RateLimiter::create(const RateLimitConfig& config, Clock clock) {
  uint64_t now = clock();
  VMM_TRY_ASSIGN(auto bandwidth, make_bucket(config.bandwidth, now, "bandwidth"));
  VMM_TRY_ASSIGN(auto ops, make_bucket(config.ops, now, "ops"));
  VMM_TRY_ASSIGN(TimerFd timer, TimerFd::create());
  return RateLimiter(std::move(bandwidth), std::move(ops), std::move(timer), std::move(clock));
}

bool RateLimiter::consume(uint64_t tokens, TokenType type) {
  if (blocked_) return false;
  std::optional<TokenBucket>& limited = bucket(type);
  if (!limited) return true;
  uint64_t now = clock_();
  if (limited->consume(tokens, now)) return true;
  // timerfd treats 0 as "disarm": wait at least 1 ns.
  uint64_t wait = std::max<uint64_t>(limited->wait_ns(tokens, now), 1);
  // Without a timer nothing would ever unblock the device: fail open.
  if (!timer_.arm(wait)) return true;
  blocked_ = true;
  return false;
}

void RateLimiter::replenish(uint64_t tokens, TokenType type) {
  if (std::optional<TokenBucket>& limited = bucket(type)) limited->replenish(tokens);
}

void RateLimiter::on_timer() {
  (void)timer_.read();
  blocked_ = false;
}

}  // namespace vmm::ratelimit
