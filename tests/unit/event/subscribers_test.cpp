// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <vector>

#include <vmm/event/signal_subscriber.hpp>
#include <vmm/event/timer_subscriber.hpp>

namespace vmm {
namespace {

EventLoop make_loop() {
  auto loop = EventLoop::create();
  EXPECT_TRUE(loop.ok());
  return std::move(loop).value();
}

TEST(TimerSubscriber, OneShotFires) {
  EventLoop loop = make_loop();
  uint64_t fired = 0;
  auto timer = TimerSubscriber::create(loop, [&](uint64_t n) { fired += n; });
  ASSERT_TRUE(timer.ok());
  ASSERT_TRUE((*timer)->arm(5'000'000).ok());  // 5 ms
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(loop.run_once(1000).ok());
  EXPECT_EQ(fired, 1u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(4));
  ASSERT_TRUE(loop.run_once(20).ok());
  EXPECT_EQ(fired, 1u);  // one-shot
}

TEST(TimerSubscriber, PeriodicUntilStopped) {
  EventLoop loop = make_loop();
  int ticks = 0;
  auto timer = TimerSubscriber::create(loop, [&](uint64_t) {
    if (++ticks == 3) loop.stop();
  });
  ASSERT_TRUE(timer.ok());
  ASSERT_TRUE((*timer)->arm(1'000'000, 1'000'000).ok());
  ASSERT_TRUE(loop.run().ok());
  EXPECT_EQ(ticks, 3);
  ASSERT_TRUE((*timer)->disarm().ok());
}

TEST(TimerSubscriber, LeavesTheLoopWhenDestroyed) {
  EventLoop loop = make_loop();
  {
    auto timer = TimerSubscriber::create(loop, [](uint64_t) {});
    ASSERT_TRUE(timer.ok());
    EXPECT_EQ(loop.size(), 1u);
  }
  EXPECT_EQ(loop.size(), 0u);
}

TEST(SignalSubscriber, DeliversSignals) {
  sigset_t old_mask;
  pthread_sigmask(SIG_SETMASK, nullptr, &old_mask);
  {
    EventLoop loop = make_loop();
    std::vector<int> received;
    auto signals =
        SignalSubscriber::create(loop, {SIGUSR1, SIGUSR2}, [&](int sig) { received.push_back(sig); });
    ASSERT_TRUE(signals.ok());
    ASSERT_EQ(::pthread_kill(::pthread_self(), SIGUSR1), 0);  // blocked: waits in the signalfd
    ASSERT_EQ(::pthread_kill(::pthread_self(), SIGUSR2), 0);
    ASSERT_TRUE(loop.run_once(1000).ok());
    EXPECT_EQ(received, (std::vector<int>{SIGUSR1, SIGUSR2}));
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
}

}  // namespace
}  // namespace vmm
