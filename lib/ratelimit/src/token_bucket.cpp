// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Token bucket arithmetic. Products of a time in ns and a bucket size can
// exceed 64 bits (100 s x 10 GB), so they are computed in 128 bits.
#include <algorithm>
#include <limits>

#include <vmm/ratelimit/token_bucket.hpp>

namespace vmm::ratelimit {
namespace {

__extension__ using Wide = unsigned __int128;

constexpr uint64_t kNsPerMs = 1'000'000;

uint64_t saturate(Wide value) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  return value > kMax ? kMax : static_cast<uint64_t>(value);
}

}  // namespace

TokenBucket::TokenBucket(const TokenBucketConfig& config, uint64_t now_ns)
    : size_(config.size),
      refill_ns_(std::max<uint64_t>(saturate(Wide{config.refill_time_ms} * kNsPerMs), 1)),
      budget_(config.size),
      burst_(config.one_time_burst),
      last_ns_(now_ns) {}

void TokenBucket::refill(uint64_t now_ns) {
  if (now_ns <= last_ns_) return;  // a clock that did not move (or went back) adds nothing
  uint64_t elapsed = now_ns - last_ns_;
  last_ns_ = now_ns;
  Wide missing = Wide{debt_} + (size_ - budget_);
  if (missing == 0) {
    carry_ = 0;
    return;
  }
  Wide scaled = Wide{elapsed} * size_ + carry_;
  Wide gained = scaled / refill_ns_;
  if (gained >= missing) {
    debt_ = 0;
    budget_ = size_;
    carry_ = 0;
    return;
  }
  carry_ = static_cast<uint64_t>(scaled % refill_ns_);
  auto tokens = static_cast<uint64_t>(gained);  // < missing <= 2^64 + size: fits after the check above
  uint64_t paid = std::min(tokens, debt_);
  debt_ -= paid;
  budget_ += tokens - paid;
}

bool TokenBucket::consume(uint64_t tokens, uint64_t now_ns) {
  if (size_ == 0) return true;  // no limit (RateLimiter leaves such buckets out anyway)
  if (tokens <= burst_) {
    burst_ -= tokens;
    return true;
  }
  uint64_t rest = tokens - burst_;
  refill(now_ns);
  if (debt_ == 0 && rest <= budget_) {
    budget_ -= rest;
    burst_ = 0;
    return true;
  }
  // Larger than the bucket: pass when full, owe the rest (no deadlock).
  if (rest > size_ && debt_ == 0 && budget_ == size_) {
    debt_ = rest - size_;
    budget_ = 0;
    burst_ = 0;
    return true;
  }
  return false;
}

void TokenBucket::replenish(uint64_t tokens) {
  uint64_t paid = std::min(tokens, debt_);
  debt_ -= paid;
  tokens -= paid;
  budget_ = size_ - budget_ < tokens ? size_ : budget_ + tokens;
}

uint64_t TokenBucket::wait_ns(uint64_t tokens, uint64_t now_ns) {
  if (size_ == 0 || tokens <= burst_) return 0;
  uint64_t rest = tokens - burst_;
  refill(now_ns);
  // Tokens still to come: the debt, then up to `rest` (or a full bucket for
  // a request larger than the bucket).
  Wide target = Wide{debt_} + std::min(rest, size_);
  if (target <= budget_) return 0;
  Wide missing = target - budget_;
  // First ns at which (elapsed * size + carry) / refill_ns >= missing.
  Wide scaled = missing * refill_ns_ - carry_;
  return saturate((scaled + size_ - 1) / size_);
}

}  // namespace vmm::ratelimit
