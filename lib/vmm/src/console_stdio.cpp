// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The stdio console: guest output to stdout, stdin to the guest. On a
// terminal, stdin is switched to raw mode (restored when the console goes
// away) so keys reach the guest unchanged; Ctrl-] leaves.
#include <fcntl.h>
#include <sys/epoll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include <vmm/base/fd.hpp>

#include "console_backend.hpp"

namespace vmm {
namespace {

constexpr uint8_t kEscapeKey = 0x1d;  // Ctrl-]

class StdioBackend final : public Console::Backend {
 public:
  explicit StdioBackend(EventLoop& loop) : loop_(loop) {}
  ~StdioBackend() override {
    if (reading_) (void)loop_.remove(STDIN_FILENO);
    if (saved_termios_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &*saved_termios_);
  }

  Result<void> init() {
    if (isatty(STDIN_FILENO)) {
      termios attrs{};
      if (tcgetattr(STDIN_FILENO, &attrs) == 0) {
        saved_termios_ = attrs;
        cfmakeraw(&attrs);
        attrs.c_oflag |= OPOST | ONLCR;  // keep "\n" -> "\r\n" for our own messages
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &attrs);
      }
    }
    // Regular files and /dev/null cannot be polled (EPERM): no input then.
    auto added = loop_.add(STDIN_FILENO, EPOLLIN, *this);
    reading_ = added.ok();
    return ok();
  }

  void output(std::span<const uint8_t> bytes) override {
    // A closed or broken stdout must not stop the guest: output is dropped.
    (void)write_all(STDOUT_FILENO, bytes.data(), bytes.size());
  }

  void on_event(int fd, uint32_t) override {
    uint8_t buffer[256];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
      (void)loop_.remove(STDIN_FILENO);  // EOF: the guest keeps running without input
      reading_ = false;
      return;
    }
    std::span<const uint8_t> input(buffer, static_cast<size_t>(n));
    if (saved_termios_) {
      for (size_t i = 0; i < input.size(); ++i) {
        if (input[i] == kEscapeKey) {
          deliver_input(input.first(i));
          escape();
          return;
        }
      }
    }
    deliver_input(input);
  }

 private:
  EventLoop& loop_;
  std::optional<termios> saved_termios_;
  bool reading_ = false;
};

class NullBackend final : public Console::Backend {
 public:
  void output(std::span<const uint8_t>) override {}
  void on_event(int, uint32_t) override {}
};

class FileBackend final : public Console::Backend {
 public:
  explicit FileBackend(Fd fd) : fd_(std::move(fd)) {}
  void output(std::span<const uint8_t> bytes) override { (void)write_all(fd_.get(), bytes.data(), bytes.size()); }
  void on_event(int, uint32_t) override {}

 private:
  Fd fd_;
};

}  // namespace

Result<std::unique_ptr<Console::Backend>> make_stdio_backend(EventLoop& loop) {
  auto backend = std::make_unique<StdioBackend>(loop);
  VMM_TRY(backend->init());
  return std::unique_ptr<Console::Backend>(std::move(backend));
}

std::unique_ptr<Console::Backend> make_null_backend() { return std::make_unique<NullBackend>(); }

Result<std::unique_ptr<Console::Backend>> make_file_backend(const std::string& path) {
  auto fd = Fd::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0640);
  if (!fd) return fd.error().with_context("console file");
  return std::unique_ptr<Console::Backend>(std::make_unique<FileBackend>(std::move(*fd)));
}

}  // namespace vmm
