// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The socket console: every client of a unix socket first gets the
// scrollback, then live output. Input is taken from one writer at a time:
// the first client that sends a byte holds input until it disconnects.
// A client too slow to take output loses what does not fit in its socket
// buffer (output is never queued without bound, and never blocks a vCPU).
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "console_backend.hpp"
#include "unix_socket.hpp"

namespace vmm {
namespace {

class SocketBackend final : public Console::Backend {
 public:
  SocketBackend(EventLoop& loop, Fd listener, std::string path)
      : loop_(loop), listener_(std::move(listener)), path_(std::move(path)) {}
  ~SocketBackend() override {
    for (auto& client : clients_) (void)loop_.remove(client.get());
    (void)loop_.remove(listener_.get());
    ::unlink(path_.c_str());
  }

  Result<void> init() { return loop_.add(listener_.get(), EPOLLIN, *this); }

  void output(std::span<const uint8_t> bytes) override {
    for (auto& client : clients_) send_best_effort(client.get(), bytes);
  }

  void on_event(int fd, uint32_t events) override {
    if (fd == listener_.get()) return accept_one();
    uint8_t buffer[256];
    ssize_t n = (events & EPOLLIN) ? ::read(fd, buffer, sizeof buffer) : 0;
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) return drop(fd);
    if (writer_ == -1) writer_ = fd;
    if (writer_ == fd) deliver_input({buffer, static_cast<size_t>(n)});
  }

 private:
  static void send_best_effort(int fd, std::span<const uint8_t> bytes) {
    (void)::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  }

  void accept_one() {
    auto client = accept_client(listener_.get());
    if (!client || !client->valid()) return;
    std::lock_guard lock(mutex_);
    auto history = ring_.snapshot();
    send_best_effort(client->get(), history);
    if (!loop_.add(client->get(), EPOLLIN | EPOLLRDHUP, *this)) return;
    clients_.push_back(std::move(*client));
  }

  void drop(int fd) {
    (void)loop_.remove(fd);
    std::lock_guard lock(mutex_);
    if (writer_ == fd) writer_ = -1;
    std::erase_if(clients_, [fd](const Fd& client) { return client.get() == fd; });
  }

  EventLoop& loop_;
  Fd listener_;
  std::string path_;
  std::vector<Fd> clients_;  // guarded by mutex_ (output runs on vCPU threads)
  int writer_ = -1;
};

}  // namespace

Result<std::unique_ptr<Console::Backend>> make_socket_backend(const std::string& path, EventLoop& loop) {
  auto listener = listen_unix(path);
  if (!listener) return listener.error().with_context("console socket");
  auto backend = std::make_unique<SocketBackend>(loop, std::move(*listener), path);
  VMM_TRY(backend->init());
  return std::unique_ptr<Console::Backend>(std::move(backend));
}

}  // namespace vmm
