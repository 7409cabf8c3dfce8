// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

#include <vmm/event/event_loop.hpp>

namespace vmm {
namespace {

struct Pipe {
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    read_end.reset(fds[0]);
    write_end.reset(fds[1]);
  }
  void put(char c = 'x') const { EXPECT_EQ(::write(write_end.get(), &c, 1), 1); }
  Fd read_end;
  Fd write_end;
};

// Records calls and runs an optional action inside the callback.
class Recorder final : public EventSubscriber {
 public:
  void on_event(int fd, uint32_t events) override {
    ++calls;
    last_fd = fd;
    last_events = events;
    if (action) action();
  }
  int calls = 0;
  int last_fd = -1;
  uint32_t last_events = 0;
  std::function<void()> action;
};

EventLoop make_loop() {
  auto loop = EventLoop::create();
  EXPECT_TRUE(loop.ok());
  return std::move(loop).value();
}

TEST(EventLoop, DispatchesReadyFds) {
  EventLoop loop = make_loop();
  Pipe pipe;
  Recorder recorder;
  ASSERT_TRUE(loop.add(pipe.read_end.get(), EPOLLIN, recorder).ok());
  ASSERT_TRUE(loop.run_once(0).ok());
  EXPECT_EQ(recorder.calls, 0);
  pipe.put();
  ASSERT_TRUE(loop.run_once(1000).ok());
  EXPECT_EQ(recorder.calls, 1);
  EXPECT_EQ(recorder.last_fd, pipe.read_end.get());
  EXPECT_EQ(recorder.last_events, uint32_t{EPOLLIN});
}

TEST(EventLoop, AddModifyRemoveErrors) {
  EventLoop loop = make_loop();
  Pipe pipe;
  Recorder recorder;
  int fd = pipe.read_end.get();
  ASSERT_TRUE(loop.add(fd, EPOLLIN, recorder).ok());
  auto twice = loop.add(fd, EPOLLIN, recorder);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code(), EventErrc::kAlreadyRegistered);
  EXPECT_EQ(twice.error().context(), "fd " + std::to_string(fd) + " is already in the event loop");
  ASSERT_TRUE(loop.modify(fd, EPOLLIN | EPOLLET).ok());
  ASSERT_TRUE(loop.remove(fd).ok());
  EXPECT_EQ(loop.remove(fd).error().code(), EventErrc::kNotRegistered);
  EXPECT_EQ(loop.modify(fd, EPOLLIN).error().code(), EventErrc::kNotRegistered);
  EXPECT_FALSE(loop.add(-1, EPOLLIN, recorder).ok());
  EXPECT_EQ(loop.size(), 0u);
}

TEST(EventLoop, ModifyChangesTheMask) {
  EventLoop loop = make_loop();
  Pipe pipe;
  Recorder recorder;
  int fd = pipe.write_end.get();
  ASSERT_TRUE(loop.add(fd, 0, recorder).ok());
  ASSERT_TRUE(loop.run_once(0).ok());
  EXPECT_EQ(recorder.calls, 0);
  ASSERT_TRUE(loop.modify(fd, EPOLLOUT).ok());  // a pipe with room is writable
  ASSERT_TRUE(loop.run_once(0).ok());
  EXPECT_EQ(recorder.calls, 1);
  EXPECT_EQ(recorder.last_events, uint32_t{EPOLLOUT});
}

// Whichever of two ready subscribers runs first removes the other: the
// other's already-fetched event must not be delivered.
TEST(EventLoop, RemovingAnotherFdDuringDispatchDropsItsEvent) {
  EventLoop loop = make_loop();
  Pipe a, b;
  Recorder ra, rb;
  ra.action = [&] { ASSERT_TRUE(loop.remove(b.read_end.get()).ok()); };
  rb.action = [&] { ASSERT_TRUE(loop.remove(a.read_end.get()).ok()); };
  ASSERT_TRUE(loop.add(a.read_end.get(), EPOLLIN, ra).ok());
  ASSERT_TRUE(loop.add(b.read_end.get(), EPOLLIN, rb).ok());
  a.put();
  b.put();
  ASSERT_TRUE(loop.run_once(1000).ok());
  EXPECT_EQ(ra.calls + rb.calls, 1);
  EXPECT_EQ(loop.size(), 1u);
}

// Worse: the removed fd is closed and its number reused by a new
// registration in the same round. The stale event must not reach it.
TEST(EventLoop, ReusedFdNumberDoesNotGetAStaleEvent) {
  EventLoop loop = make_loop();
  auto a = std::make_unique<Pipe>();
  auto b = std::make_unique<Pipe>();
  Recorder ra, rb, newcomer;
  std::unique_ptr<Pipe> replacement;
  int reused_fd = -1;
  auto replace = [&](std::unique_ptr<Pipe>& victim) {
    int fd = victim->read_end.get();
    ASSERT_TRUE(loop.remove(fd).ok());
    victim.reset();
    replacement = std::make_unique<Pipe>();
    if (replacement->read_end.get() != fd) {  // make the new pipe take the old number
      ASSERT_EQ(::dup2(replacement->read_end.get(), fd), fd);
      replacement->read_end.reset(fd);
    }
    reused_fd = fd;
    ASSERT_TRUE(loop.add(reused_fd, EPOLLIN, newcomer).ok());
  };
  ra.action = [&] {
    if (!replacement) replace(b);
  };
  rb.action = [&] {
    if (!replacement) replace(a);
  };
  ASSERT_TRUE(loop.add(a->read_end.get(), EPOLLIN, ra).ok());
  ASSERT_TRUE(loop.add(b->read_end.get(), EPOLLIN, rb).ok());
  a->put();
  b->put();
  ASSERT_TRUE(loop.run_once(1000).ok());
  EXPECT_EQ(ra.calls + rb.calls, 1);
  ASSERT_NE(reused_fd, -1);
  EXPECT_EQ(newcomer.calls, 0);
  replacement->put();
  ASSERT_TRUE(loop.run_once(1000).ok());
  EXPECT_EQ(newcomer.calls, 1);
  EXPECT_EQ(newcomer.last_fd, reused_fd);
}

TEST(EventLoop, SubscriberRemovesItself) {
  EventLoop loop = make_loop();
  Pipe pipe;
  Recorder recorder;
  recorder.action = [&] { ASSERT_TRUE(loop.remove(pipe.read_end.get()).ok()); };
  ASSERT_TRUE(loop.add(pipe.read_end.get(), EPOLLIN, recorder).ok());
  pipe.put();
  ASSERT_TRUE(loop.run_once(1000).ok());
  ASSERT_TRUE(loop.run_once(0).ok());  // still readable, but no longer watched
  EXPECT_EQ(recorder.calls, 1);
}

TEST(EventLoop, ReportsHangupOfAClosedPipe) {
  EventLoop loop = make_loop();
  Pipe pipe;
  Recorder recorder;
  recorder.action = [&] { ASSERT_TRUE(loop.remove(pipe.read_end.get()).ok()); };
  ASSERT_TRUE(loop.add(pipe.read_end.get(), EPOLLIN, recorder).ok());
  pipe.write_end.reset();
  ASSERT_TRUE(loop.run_once(1000).ok());
  EXPECT_EQ(recorder.calls, 1);
  EXPECT_TRUE(recorder.last_events & EPOLLHUP);
}

TEST(EventLoop, RemoveAfterCloseIsFine) {
  EventLoop loop = make_loop();
  auto pipe = std::make_unique<Pipe>();
  Recorder recorder;
  int fd = pipe->read_end.get();
  ASSERT_TRUE(loop.add(fd, EPOLLIN, recorder).ok());
  pipe.reset();
  EXPECT_TRUE(loop.remove(fd).ok());
}

TEST(EventLoop, StopFromAnotherThread) {
  EventLoop loop = make_loop();
  auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    loop.stop();
  });
  ASSERT_TRUE(loop.run().ok());
  stopper.join();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

TEST(EventLoop, StopBeforeRunAndFromACallback) {
  EventLoop loop = make_loop();
  loop.stop();
  ASSERT_TRUE(loop.run().ok());  // returns at once
  Pipe pipe;
  Recorder recorder;
  recorder.action = [&] { loop.stop(); };
  ASSERT_TRUE(loop.add(pipe.read_end.get(), EPOLLIN | EPOLLET, recorder).ok());
  pipe.put();
  ASSERT_TRUE(loop.run().ok());
  EXPECT_EQ(recorder.calls, 1);
}

TEST(EventLoop, StillWorksAfterAMove) {
  EventLoop first = make_loop();
  EventLoop loop = std::move(first);
  Pipe pipe;
  Recorder recorder;
  ASSERT_TRUE(loop.add(pipe.read_end.get(), EPOLLIN, recorder).ok());
  pipe.put();
  ASSERT_TRUE(loop.run_once(1000).ok());
  EXPECT_EQ(recorder.calls, 1);
  loop.stop();
  ASSERT_TRUE(loop.run().ok());
}

// The epoll fd itself is pollable, so another loop (sd-event) can nest it.
TEST(EventLoop, EpollFdSignalsPendingEvents) {
  EventLoop loop = make_loop();
  Pipe pipe;
  Recorder recorder;
  ASSERT_TRUE(loop.add(pipe.read_end.get(), EPOLLIN, recorder).ok());
  pollfd outer{loop.fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&outer, 1, 0), 0);
  pipe.put();
  EXPECT_EQ(::poll(&outer, 1, 1000), 1);
  ASSERT_TRUE(loop.run_once(0).ok());
  EXPECT_EQ(recorder.calls, 1);
}

}  // namespace
}  // namespace vmm
