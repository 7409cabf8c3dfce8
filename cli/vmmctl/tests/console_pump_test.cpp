// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include <vmm/base/fd.hpp>

#include "console_pump.hpp"
#include "signal_block.hpp"

namespace vmmctl {
namespace {

struct Pipe {
  vmm::Fd read, write;
  Pipe() {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
};

struct SocketPair {
  vmm::Fd ours, theirs;
  SocketPair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    ours.reset(fds[0]);
    theirs.reset(fds[1]);
  }
};

void put(int fd, const std::string& text) { ASSERT_TRUE(vmm::write_all(fd, text.data(), text.size())); }

std::string drain(int fd) {
  fcntl(fd, F_SETFL, O_NONBLOCK);
  std::string text;
  char buffer[256];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  return text;
}

struct Rig {
  Pipe input, output;
  SocketPair console;
  PumpFds fds() { return {input.read.get(), output.write.get(), console.ours.get(), -1}; }
};

TEST(ConsolePump, CopiesBothWaysAndCtrlBracketLeaves) {
  Rig rig;
  put(rig.console.theirs.get(), "login: ");
  put(rig.input.write.get(), std::string("root\r") + kEscapeByte + "ignored");
  auto result = run_console_pump(rig.fds(), {.escape = true});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->end, PumpEnd::kEscape);
  EXPECT_EQ(drain(rig.console.theirs.get()), "root\r");
  EXPECT_EQ(drain(rig.output.read.get()), "login: ");
}

TEST(ConsolePump, WithoutEscapeTheByteIsData) {
  Rig rig;
  put(rig.input.write.get(), std::string("a") + kEscapeByte + "b");
  rig.input.write.reset();
  auto result = run_console_pump(rig.fds(), {.escape = false, .linger_ms = 50});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->end, PumpEnd::kQuiet);
  EXPECT_EQ(drain(rig.console.theirs.get()), std::string("a") + kEscapeByte + "b");
}

TEST(ConsolePump, KeepsPrintingAfterInputEndsUntilTheConsoleCloses) {
  Rig rig;
  rig.input.write.reset();  // stdin at EOF at once (</dev/null)
  put(rig.console.theirs.get(), "echo: hi\r\n");
  rig.console.theirs.reset();
  auto result = run_console_pump(rig.fds(), {});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->end, PumpEnd::kConsoleClosed);
  EXPECT_EQ(drain(rig.output.read.get()), "echo: hi\r\n");
}

TEST(ConsolePump, ASignalEndsTheSession) {
  Rig rig;
  auto signals = SignalBlock::create({SIGUSR1});
  ASSERT_TRUE(signals);
  auto fds = rig.fds();
  fds.signals = signals->fd();
  raise(SIGUSR1);
  auto result = run_console_pump(fds, {.escape = true});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->end, PumpEnd::kSignal);
  EXPECT_EQ(result->signal, SIGUSR1);
}

TEST(ConsolePump, NobodyReadingTheOutputEndsTheSession) {
  Rig rig;
  rig.output.read.reset();
  signal(SIGPIPE, SIG_IGN);
  put(rig.console.theirs.get(), "data");
  auto result = run_console_pump(rig.fds(), {});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->end, PumpEnd::kOutputClosed);
}

TEST(SignalBlock, RestoresTheMask) {
  sigset_t before;
  pthread_sigmask(SIG_BLOCK, nullptr, &before);
  ASSERT_FALSE(sigismember(&before, SIGUSR2));
  {
    auto block = SignalBlock::create({SIGUSR2});
    ASSERT_TRUE(block);
    sigset_t during;
    pthread_sigmask(SIG_BLOCK, nullptr, &during);
    EXPECT_TRUE(sigismember(&during, SIGUSR2));
  }
  sigset_t after;
  pthread_sigmask(SIG_BLOCK, nullptr, &after);
  EXPECT_FALSE(sigismember(&after, SIGUSR2));
}

}  // namespace
}  // namespace vmmctl
