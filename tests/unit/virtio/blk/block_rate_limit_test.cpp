// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The block device under a rate limiter with a fake clock: requests beyond
// the budget stay in the available ring (not popped, not completed) and are
// served when the limiter's timer fires and the clock says tokens are back.
#include "block_test_support.hpp"

namespace vmm::virtio::blk {
namespace {

constexpr uint64_t kMs = 1'000'000;
constexpr auto kOk = static_cast<uint8_t>(Status::kOk);

BlockOptions ops_limited() {
  // 2 requests per 20 ms: one more every 10 ms.
  return {.rate_limit = ratelimit::RateLimitConfig{.ops = ratelimit::TokenBucketConfig{2, 0, 20}}};
}

struct OpsLimitedBlockTest : BlockDeviceTest {
  OpsLimitedBlockTest() : BlockDeviceTest(ops_limited()) { activate(); }
  void submit_reads(int count) {
    for (int i = 0; i < count; ++i) {
      submit(RequestType::kIn, static_cast<uint64_t>(i), {{kData + 0x1000u * i, 512, true}},
             kStatus + static_cast<uint64_t>(i));
    }
  }
};

TEST_F(OpsLimitedBlockTest, DefersRequestsUntilTheTimerAndTheTokens) {
  submit_reads(5);
  kick();
  EXPECT_EQ(driver.used_idx(), 2);
  EXPECT_EQ(status(kStatus + 2), kUntouched);  // deferred, not failed
  EXPECT_EQ(signals.used, 1);
  // The timer fires (10 ms of real time), but the fake clock has not moved:
  // nothing more is served, the limiter blocks again.
  run(1000);
  EXPECT_EQ(driver.used_idx(), 2);
  // 20 ms later two more tokens are there; the next timer serves two.
  now_ns += 20 * kMs;
  run(1000);
  EXPECT_EQ(driver.used_idx(), 4);
  now_ns += 10 * kMs;
  run(1000);
  ASSERT_EQ(driver.used_idx(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(status(kStatus + static_cast<uint64_t>(i)), kOk) << i;
    EXPECT_EQ(guest(kData + 0x1000u * i, 512), image_pattern(512u * i, 512)) << i;
    EXPECT_EQ(driver.used(static_cast<uint16_t>(i)).len, 513u);
  }
  EXPECT_TRUE(device->failure().empty());
}

TEST_F(OpsLimitedBlockTest, NotificationsWhileThrottledDoNotServeEarly) {
  submit_reads(3);
  kick();
  EXPECT_EQ(driver.used_idx(), 2);
  kick();
  kick();
  EXPECT_EQ(driver.used_idx(), 2);
  now_ns += 10 * kMs;
  run(1000);
  EXPECT_EQ(driver.used_idx(), 3);
}

BlockOptions bandwidth_limited() {
  // 4 KiB per 100 ms, and an 8 KiB request: larger than the bucket.
  return {.rate_limit = ratelimit::RateLimitConfig{.bandwidth = ratelimit::TokenBucketConfig{4096, 0, 100}}};
}

struct BandwidthLimitedBlockTest : BlockDeviceTest {
  BandwidthLimitedBlockTest() : BlockDeviceTest(bandwidth_limited()) { activate(); }
};

TEST_F(BandwidthLimitedBlockTest, RequestLargerThanTheBucketStillPasses) {
  submit(RequestType::kIn, 0, {{kData, 8192, true}}, kStatus);
  submit(RequestType::kIn, 0, {{kData + 0x4000, 512, true}}, kStatus + 1);
  submit(RequestType::kFlush, 0, {}, kStatus + 2);  // no bytes, but queued behind
  kick();
  // The bucket was full: the big request passes and leaves 4 KiB of debt.
  EXPECT_EQ(driver.used_idx(), 1);
  EXPECT_EQ(status(), kOk);
  // 100 ms pays the debt, 12.5 ms more buys 512 bytes.
  now_ns += 100 * kMs;
  run(1000);
  EXPECT_EQ(driver.used_idx(), 1);
  now_ns += 13 * kMs;
  run(1000);
  EXPECT_EQ(driver.used_idx(), 3);
  EXPECT_EQ(status(kStatus + 1), kOk);
  EXPECT_EQ(status(kStatus + 2), kOk);
}

TEST_F(BandwidthLimitedBlockTest, ErrorsAreNotChargedBytes) {
  // Broken requests (no status byte) never reach the limiter.
  write_header(kHeader, static_cast<uint32_t>(RequestType::kIn), 0);
  std::vector<Buffer> header_only{{kHeader, 16, false}};
  for (int i = 0; i < 8; ++i) driver.add_chain(header_only);
  kick();
  EXPECT_EQ(driver.used_idx(), 8);
  submit(RequestType::kIn, 0, {{kData, 4096, true}});
  kick();
  EXPECT_EQ(driver.used_idx(), 9);
  EXPECT_EQ(status(), kOk);
}

}  // namespace
}  // namespace vmm::virtio::blk
