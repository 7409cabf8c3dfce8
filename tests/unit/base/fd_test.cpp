// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <vmm/base/event_fd.hpp>
#include <vmm/base/fd.hpp>
#include <vmm/base/signal_fd.hpp>

namespace vmm {
namespace {

TEST(Fd, ClosesOnDropAndMoves) {
  int raw = -1;
  {
    auto fd = Fd::open("/dev/null", O_RDONLY);
    ASSERT_TRUE(fd.ok());
    raw = fd->get();
    Fd moved = std::move(*fd);
    EXPECT_EQ(moved.get(), raw);
    EXPECT_FALSE(fd->valid());
    EXPECT_GE(fcntl(raw, F_GETFD), 0);
  }
  EXPECT_EQ(fcntl(raw, F_GETFD), -1);
}

TEST(Fd, OpenErrorNamesThePath) {
  auto fd = Fd::open("/nonexistent/x", O_RDONLY);
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().message(), "open /nonexistent/x: No such file or directory");
}

TEST(EventFd, CountsAndResets) {
  auto ev = EventFd::create();
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(*ev->read(), 0u);
  ASSERT_TRUE(ev->write(2).ok());
  ASSERT_TRUE(ev->write(3).ok());
  EXPECT_EQ(*ev->read(), 5u);
  EXPECT_EQ(*ev->read(), 0u);
}

TEST(TimerFd, FiresOnce) {
  auto timer = TimerFd::create();
  ASSERT_TRUE(timer.ok());
  ASSERT_TRUE(timer->arm(1'000'000).ok());
  usleep(20'000);
  EXPECT_EQ(*timer->read(), 1u);
  EXPECT_EQ(*timer->read(), 0u);
}

TEST(SignalFd, ReceivesBlockedSignal) {
  auto sfd = SignalFd::create({SIGUSR1});
  ASSERT_TRUE(sfd.ok());
  EXPECT_EQ(*sfd->read(), 0);
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
  EXPECT_EQ(*sfd->read(), SIGUSR1);
}

}  // namespace
}  // namespace vmm
