// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// RateLimiter with a fake clock: buckets are optional, a refusal blocks and
// arms the timerfd, on_timer unblocks, and big requests get through.
#include <gtest/gtest.h>

#include <poll.h>

#include <vmm/ratelimit/rate_limiter.hpp>

namespace vmm::ratelimit {
namespace {

constexpr uint64_t kMs = 1'000'000;

struct RateLimiterTest : ::testing::Test {
  Clock fake() {
    return [this] { return now; };
  }
  RateLimiter make(const RateLimitConfig& config) { return RateLimiter::create(config, fake()).value(); }
  uint64_t now = 5 * kMs;
};

bool readable_within(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1;
}

TEST_F(RateLimiterTest, WithoutBucketsEverythingPasses) {
  RateLimiter limiter = make({});
  EXPECT_TRUE(limiter.consume(~uint64_t{0}, TokenType::kBytes));
  EXPECT_TRUE(limiter.consume(~uint64_t{0}, TokenType::kOps));
  EXPECT_FALSE(limiter.blocked());
  EXPECT_FALSE(limiter.bandwidth().has_value());
}

TEST_F(RateLimiterTest, ZeroSizeOrZeroRefillMeansNoLimit) {
  RateLimiter limiter =
      make({.bandwidth = TokenBucketConfig{.size = 0, .one_time_burst = 0, .refill_time_ms = 10},
            .ops = TokenBucketConfig{.size = 5, .one_time_burst = 0, .refill_time_ms = 0}});
  EXPECT_FALSE(limiter.bandwidth().has_value());
  EXPECT_FALSE(limiter.ops().has_value());
  EXPECT_TRUE(limiter.consume(1'000'000, TokenType::kOps));
}

TEST_F(RateLimiterTest, RejectsRefillTimesThatOverflow) {
  auto limiter = RateLimiter::create(
      {.bandwidth = TokenBucketConfig{.size = 1, .one_time_burst = 0, .refill_time_ms = ~uint64_t{0}}},
      fake());
  ASSERT_FALSE(limiter.ok());
  EXPECT_NE(limiter.error().message().find("refill_time_ms"), std::string::npos);
}

TEST_F(RateLimiterTest, RefusalBlocksUntilTheTimer) {
  RateLimiter limiter =
      make({.ops = TokenBucketConfig{.size = 2, .one_time_burst = 0, .refill_time_ms = 20}});
  EXPECT_TRUE(limiter.consume(1, TokenType::kOps));
  EXPECT_TRUE(limiter.consume(1, TokenType::kOps));
  EXPECT_TRUE(limiter.consume(4096, TokenType::kBytes));  // no bandwidth bucket
  EXPECT_FALSE(limiter.consume(1, TokenType::kOps));
  EXPECT_TRUE(limiter.blocked());
  // Blocked: everything is refused until on_timer, even with tokens back.
  now += 100 * kMs;
  EXPECT_FALSE(limiter.consume(1, TokenType::kOps));
  EXPECT_FALSE(limiter.consume(1, TokenType::kBytes));
  // The real timerfd was armed for 10 ms (one op per 10 ms).
  EXPECT_FALSE(readable_within(limiter.timer_fd(), 0));
  EXPECT_TRUE(readable_within(limiter.timer_fd(), 1000));
  limiter.on_timer();
  EXPECT_FALSE(limiter.blocked());
  EXPECT_FALSE(readable_within(limiter.timer_fd(), 0));  // drained
  EXPECT_TRUE(limiter.consume(1, TokenType::kOps));
}

TEST_F(RateLimiterTest, RetryTooEarlyBlocksAgain) {
  RateLimiter limiter =
      make({.bandwidth = TokenBucketConfig{.size = 1000, .one_time_burst = 0, .refill_time_ms = 1000}});
  ASSERT_TRUE(limiter.consume(1000, TokenType::kBytes));
  EXPECT_FALSE(limiter.consume(500, TokenType::kBytes));
  limiter.on_timer();
  now += 499 * kMs;
  EXPECT_FALSE(limiter.consume(500, TokenType::kBytes));
  EXPECT_TRUE(limiter.blocked());
  limiter.on_timer();
  now += 1 * kMs;
  EXPECT_TRUE(limiter.consume(500, TokenType::kBytes));
}

TEST_F(RateLimiterTest, RequestLargerThanTheBucketIsNotStarved) {
  RateLimiter limiter =
      make({.bandwidth = TokenBucketConfig{.size = 4096, .one_time_burst = 0, .refill_time_ms = 10}});
  ASSERT_TRUE(limiter.consume(100, TokenType::kBytes));
  EXPECT_FALSE(limiter.consume(1 << 20, TokenType::kBytes));
  limiter.on_timer();
  now += 1 * kMs;  // full again
  EXPECT_TRUE(limiter.consume(1 << 20, TokenType::kBytes));
  // ... and the debt delays what follows by the size of the request.
  EXPECT_FALSE(limiter.consume(1, TokenType::kBytes));
}

TEST_F(RateLimiterTest, ReplenishUndoesAConsume) {
  RateLimiter limiter =
      make({.ops = TokenBucketConfig{.size = 1, .one_time_burst = 0, .refill_time_ms = 1000}});
  ASSERT_TRUE(limiter.consume(1, TokenType::kOps));
  limiter.replenish(1, TokenType::kOps);
  EXPECT_TRUE(limiter.consume(1, TokenType::kOps));
}

}  // namespace
}  // namespace vmm::ratelimit
