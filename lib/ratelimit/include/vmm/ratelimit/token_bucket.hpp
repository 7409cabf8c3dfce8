// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include <vmm/base/export.hpp>

namespace vmm::ratelimit {

// A token bucket as Firecracker configures it: `size` tokens, refilled
// linearly from empty to full over `refill_time_ms`, plus `one_time_burst`
// tokens available once at start (spent first, never refilled). A bucket of
// size 0 or refill time 0 means "no limit" (Firecracker does the same).
struct TokenBucketConfig {
  uint64_t size = 0;
  uint64_t one_time_burst = 0;
  uint64_t refill_time_ms = 1000;

  bool operator==(const TokenBucketConfig&) const = default;
};

// Limits on one device's I/O: bytes and operations (requests or frames).
struct RateLimitConfig {
  std::optional<TokenBucketConfig> bandwidth;  // bytes
  std::optional<TokenBucketConfig> ops;        // requests (block) or frames (net)

  bool operator==(const RateLimitConfig&) const = default;
};

// A monotonic clock in nanoseconds; tests inject a fake one.
using Clock = std::function<uint64_t()>;
// CLOCK_MONOTONIC.
[[nodiscard]] VMM_API Clock monotonic_clock();

// One bucket. Pure arithmetic on the times it is given: no clock, no fd.
// Tokens are exact: refill is computed as elapsed * size / refill_time with
// the remainder carried, so no fraction of a token is lost between calls.
class VMM_API TokenBucket {
 public:
  // A size of 0 never limits; a refill time of 0 counts as 1 ns (RateLimiter
  // leaves both kinds of bucket out, as Firecracker does).
  TokenBucket(const TokenBucketConfig& config, uint64_t now_ns);

  // Takes `tokens` (burst first, then the budget). A request larger than
  // the bucket passes only when the bucket is full, and then leaves a debt
  // that refill pays back before the budget grows again: large requests are
  // delayed in proportion to their size but never refused forever.
  bool consume(uint64_t tokens, uint64_t now_ns);
  // Gives back tokens taken by consume() for a request that was not served
  // (the budget is capped at `size`; a debt is paid back first).
  void replenish(uint64_t tokens);
  // Nanoseconds from `now_ns` until consume(tokens) would succeed (0: now).
  [[nodiscard]] uint64_t wait_ns(uint64_t tokens, uint64_t now_ns);

  [[nodiscard]] uint64_t size() const { return size_; }
  [[nodiscard]] uint64_t budget() const { return budget_; }
  [[nodiscard]] uint64_t one_time_burst() const { return burst_; }
  [[nodiscard]] uint64_t debt() const { return debt_; }

 private:
  void refill(uint64_t now_ns);

  uint64_t size_;
  uint64_t refill_ns_;
  uint64_t budget_;     // tokens available now, at most size_
  uint64_t burst_;      // what is left of the one-time burst
  uint64_t debt_ = 0;   // tokens owed by a request larger than the bucket
  uint64_t carry_ = 0;  // (elapsed * size) % refill_ns not yet turned into a token
  uint64_t last_ns_;    // time of the last refill
};

}  // namespace vmm::ratelimit
