// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// TokenBucket arithmetic on made-up times: linear refill, one-time burst,
// requests larger than the bucket, replenish, and the wait it predicts.
#include <gtest/gtest.h>

#include <vmm/ratelimit/token_bucket.hpp>

namespace vmm::ratelimit {
namespace {

constexpr uint64_t kMs = 1'000'000;

TEST(TokenBucket, StartsFullAndRefillsLinearly) {
  TokenBucket bucket({.size = 1000, .one_time_burst = 0, .refill_time_ms = 1000}, 0);
  EXPECT_TRUE(bucket.consume(1000, 0));
  EXPECT_FALSE(bucket.consume(1, 0));
  // 1000 tokens per 1000 ms: 1 token per ms.
  EXPECT_FALSE(bucket.consume(250, 249 * kMs));
  EXPECT_TRUE(bucket.consume(250, 250 * kMs));
  EXPECT_EQ(bucket.budget(), 0u);
  // Never more than the size, however long we wait.
  EXPECT_FALSE(bucket.consume(1001, 100'000 * kMs + 1) && bucket.budget() != 0);
}

TEST(TokenBucket, CarriesFractionsOfATokenAcrossRefills) {
  TokenBucket bucket({.size = 3, .one_time_burst = 0, .refill_time_ms = 1000}, 0);
  ASSERT_TRUE(bucket.consume(3, 0));
  // One token every 333.33 ms; refilling every 100 ms must not lose the fractions.
  uint64_t now = 0;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(bucket.consume(1, now += 100 * kMs));
  EXPECT_TRUE(bucket.consume(1, now += 34 * kMs));  // 334 ms >= 333.33 ms
}

TEST(TokenBucket, OneTimeBurstIsSpentFirstAndNeverRefilled) {
  TokenBucket bucket({.size = 100, .one_time_burst = 50, .refill_time_ms = 1000}, 0);
  EXPECT_TRUE(bucket.consume(40, 0));
  EXPECT_EQ(bucket.one_time_burst(), 10u);
  EXPECT_EQ(bucket.budget(), 100u);
  EXPECT_TRUE(bucket.consume(30, 0));  // 10 from the burst, 20 from the budget
  EXPECT_EQ(bucket.one_time_burst(), 0u);
  EXPECT_EQ(bucket.budget(), 80u);
  EXPECT_TRUE(bucket.consume(80, 0));
  EXPECT_FALSE(bucket.consume(1, 0));
  EXPECT_EQ(bucket.one_time_burst(), 0u);
}

TEST(TokenBucket, RefusedConsumeTakesNothing) {
  TokenBucket bucket({.size = 100, .one_time_burst = 10, .refill_time_ms = 1000}, 0);
  ASSERT_TRUE(bucket.consume(100, 0));  // 10 burst + 90 budget
  EXPECT_FALSE(bucket.consume(50, 0));
  EXPECT_EQ(bucket.budget(), 10u);
}

TEST(TokenBucket, RequestLargerThanBucketPassesWhenFullAndLeavesDebt) {
  TokenBucket bucket({.size = 100, .one_time_burst = 0, .refill_time_ms = 100}, 0);
  ASSERT_TRUE(bucket.consume(1, 0));
  EXPECT_FALSE(bucket.consume(250, 0));  // not full
  EXPECT_EQ(bucket.wait_ns(250, 0), 1 * kMs);
  EXPECT_TRUE(bucket.consume(250, 1 * kMs));  // full again: passes
  EXPECT_EQ(bucket.debt(), 150u);
  EXPECT_EQ(bucket.budget(), 0u);
  // The debt (150 tokens: until 151 ms) is paid back before anything else gets through.
  EXPECT_FALSE(bucket.consume(1, 100 * kMs));
  EXPECT_EQ(bucket.debt(), 51u);
  EXPECT_EQ(bucket.wait_ns(1, 100 * kMs), 52 * kMs);
  EXPECT_FALSE(bucket.consume(1, 151 * kMs));
  EXPECT_TRUE(bucket.consume(1, 152 * kMs));
}

TEST(TokenBucket, WaitIsExactlyWhenConsumeSucceeds) {
  TokenBucket bucket({.size = 7, .one_time_burst = 0, .refill_time_ms = 3}, 0);
  ASSERT_TRUE(bucket.consume(7, 0));
  uint64_t wait = bucket.wait_ns(5, 0);
  EXPECT_GT(wait, 0u);
  EXPECT_FALSE(bucket.consume(5, wait - 1));
  TokenBucket again({.size = 7, .one_time_burst = 0, .refill_time_ms = 3}, 0);
  ASSERT_TRUE(again.consume(7, 0));
  EXPECT_TRUE(again.consume(5, wait));
}

TEST(TokenBucket, ReplenishPaysDebtThenCapsAtSize) {
  TokenBucket bucket({.size = 10, .one_time_burst = 0, .refill_time_ms = 1000}, 0);
  ASSERT_TRUE(bucket.consume(25, 0));
  EXPECT_EQ(bucket.debt(), 15u);
  bucket.replenish(20);
  EXPECT_EQ(bucket.debt(), 0u);
  EXPECT_EQ(bucket.budget(), 5u);
  bucket.replenish(100);
  EXPECT_EQ(bucket.budget(), 10u);
}

TEST(TokenBucket, HugeValuesDoNotOverflow) {
  constexpr uint64_t kMax = ~uint64_t{0};
  TokenBucket bucket({.size = 1, .one_time_burst = 0, .refill_time_ms = uint64_t{1} << 40}, 0);
  ASSERT_TRUE(bucket.consume(kMax, 0));  // larger than the bucket: passes, debt kMax - 1
  EXPECT_EQ(bucket.debt(), kMax - 1);
  EXPECT_EQ(bucket.wait_ns(1, 0), kMax);  // saturates instead of wrapping
  EXPECT_FALSE(bucket.consume(1, kMax));
  TokenBucket big({.size = kMax, .one_time_burst = kMax, .refill_time_ms = uint64_t{1} << 40}, 0);
  EXPECT_TRUE(big.consume(kMax, 0));  // all of the burst
  EXPECT_TRUE(big.consume(kMax, 0));  // all of the budget
  EXPECT_FALSE(big.consume(1, 0));
  EXPECT_TRUE(big.consume(kMax, kMax));  // 2^64 ns x 2^64 tokens / 2^40 ms: refill in 128 bits
}

TEST(TokenBucket, ClockGoingBackwardsAddsNothing) {
  TokenBucket bucket({.size = 10, .one_time_burst = 0, .refill_time_ms = 10}, 100 * kMs);
  ASSERT_TRUE(bucket.consume(10, 100 * kMs));
  EXPECT_FALSE(bucket.consume(1, 50 * kMs));
  EXPECT_TRUE(bucket.consume(1, 101 * kMs));
}

}  // namespace
}  // namespace vmm::ratelimit
